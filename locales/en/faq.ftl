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
faq-button-add-to-ticket = ➕ Add to request #{ $ticket }

# Small talk: hello, thanks, bye, "ok", "are you a bot?".
faq-small-talk-greeting = Hello! I am the laboratory's bot: I answer questions about the IgG antibody QR code on Gosuslugi. Type your question in your own words or choose a section.
faq-small-talk-thanks = You're welcome! Write any time you have a question.
faq-small-talk-bye = All the best! Just write if you need me.
faq-small-talk-ack = All right. If you have a question about the antibody QR code, just type it.
faq-small-talk-who = I am the laboratory's bot: I answer frequent questions about the IgG antibody QR code, help you check whether you can get it, and pass questions on to the staff.

# Questions about the lab itself (price, hours, address): the memo has no answer.
faq-lab-info =
    Please ask the laboratory about this: { $contacts }
    Or ask a staff member here.
faq-lab-info-ask = Please ask a laboratory staff member about this (price, opening hours, address): press the button below.
