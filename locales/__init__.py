"""Every text users see: Fluent messages (*.ftl) and FAQ content (faq.toml), per language."""
