# Frequent questions: the list, answers, questions in your own words. The Q&A itself is faq.toml.

faq-list-title = <b>Frequent questions</b>
    Choose a question from the list or just type your own in the chat.
faq-list-page = Page { $page } of { $pages }.
# $title is the question, $answer ready Telegram HTML from faq.toml.
faq-answer =
    <b>{ $title }</b>

    { $answer }
faq-suggest = Perhaps you meant one of these questions:
faq-not-found =
    Sorry, I didn't find a ready answer to “{ $question }”.
    Have a look at the frequent questions or ask a laboratory staff member.
faq-button-prev = ◀️ Back
faq-button-next = Next ▶️
faq-button-back = ⬅️ Back to the questions
faq-button-all = 📋 All frequent questions
faq-button-not-it = 📋 Not it? All questions
faq-button-support = 💬 Ask a staff member
