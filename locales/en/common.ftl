# Common texts: greeting, menu, language, errors.

start-greeting =
    Hello, { $name }! 👋
    I am the laboratory's bot. I help you get the QR code (certificate) for IgG antibodies to COVID-19 on Gosuslugi, the state services portal:
    • I answer frequent questions;
    • I check whether you can get the certificate;
    • I walk you through the steps on Gosuslugi and remind you before it expires;
    • I pass your question to a staff member if I can't find the answer.

    Just type your question in your own words or choose a section below.
menu-title = Main menu. Choose a section or type your question in your own words.
menu-faq = ❓ Frequent questions
menu-check = ✅ Can I get it?
menu-cert = 📄 My certificate
menu-support = 💬 Ask a staff member
menu-language = 🌐 Язык / Language
button-back = ⬅️ Back
button-cancel = ✖️ Cancel
button-menu = 🏠 Menu
help =
    <b>What I can do</b>
    /start — main menu
    /faq — frequent questions
    /check — check whether you can get the certificate
    /guide — the steps on Gosuslugi
    /mycert — my certificate
    /reminders — expiry reminders
    /support — ask a staff member
    /language — change the language
    /forget — delete my data
    /cancel — cancel the current action

    You can also just type your question.
language-name = 🇬🇧 English
language-choose = Choose your language / Выберите язык:
language-set = Done: I'll speak English now.
cancelled = Cancelled.
nothing-to-cancel = All right, closing this. Here is the main menu.
error-generic = Something went wrong. Please try again a bit later or open /start.
flood-slow-down = ✋ That's a lot of messages at once: I can't keep up. Please wait half a minute and write again; what you send meanwhile I'll skip.
unsupported-message = I understand text messages. Type your question or open /start.
unknown-command = I don't know the command { $command }. What I can do: /help; the main menu is below.
button-expired = This button is out of date. Open /start.

cmd-start = Main menu
cmd-help = What the bot can do
cmd-faq = Frequent questions
cmd-check = Can I get the certificate?
cmd-guide = Steps on Gosuslugi
cmd-mycert = My certificate
cmd-reminders = Reminders
cmd-support = Ask a staff member
cmd-language = Language / Язык
cmd-forget = Delete my data
cmd-cancel = Cancel the current action

# How many days are left, one wording everywhere: { days-left }
days-left = { $days ->
        [0] today is the last day
        [one] { $days } day left
       *[other] { $days } days left
    }
