# Support: the citizen's side (ask a human) and the staff's side (support chat, staff commands).

## Citizen
support-unavailable = Sorry, staff cannot be reached through the bot right now. Please call the laboratory.
support-unavailable-contacts = Sorry, staff cannot be reached through the bot right now. Please contact the laboratory: { $contacts }
support-ask =
    Write your question for a staff member in one message.
    You can also send a photo of your lab result or a document; add your question as a caption.
    /cancel — cancel
support-wrong-content = Please send text, a photo or a document. /cancel — cancel
support-sent =
    Your request <b>#{ $ticket }</b> has been sent. ✅
    A staff member will answer here, in this chat.
support-open-status =
    Your request <b>#{ $ticket }</b> is open since { $since }.
    Status: { $status }.
    The answer will come here, in this chat. To add something, press the button below.
support-status-waiting = waiting for an answer
support-status-answered = answered
support-too-many-tickets = You have already sent { $limit } requests in the last hour. Please try again later.
support-message-cap = Request <b>#{ $ticket }</b> already has many messages. Please wait for the staff's answer.
support-ticket-not-open = Request <b>#{ $ticket }</b> is already closed. To ask something new, use /support.
support-reply-prompt =
    Write your message for request <b>#{ $ticket }</b> (text, photo or document).
    /cancel — cancel
support-added = Added to request <b>#{ $ticket }</b>. ✅
support-send-failed = Sorry, I could not pass your message on. Please try again a bit later.
support-answer-prefix = 💬 <b>Answer from the lab</b> (request #{ $ticket }):
support-closed = Request <b>#{ $ticket }</b> is closed. If you have another question, use /support.
button-support-add = ✍️ Add a message
button-support-reply = ↩️ Reply

## Staff: roles
staff-not-allowed = Sorry, this is not available.
staff-usage =
    /staff add &lt;id&gt; — add a staff member (or reply /staff add to a forwarded message)
    /staff remove &lt;id&gt; — remove a staff member
    /staff list — staff and admins
staff-added = User <code>{ $user }</code> is now staff.
staff-already = User <code>{ $user }</code> is already staff.
staff-removed = User <code>{ $user }</code> is no longer staff.
staff-not-staff = User <code>{ $user }</code> is not staff.
staff-remove-admin = User <code>{ $user }</code> is an admin (ADMIN_IDS in the settings); change the settings to remove them.
staff-bad-id = “{ $value }” is not a Telegram user id (a positive number).
staff-forward-hidden = This person hides their account in forwarded messages, so I cannot see their id. Ask them for their numeric Telegram id and use /staff add &lt;id&gt;.
staff-forward-not-user = This message was not forwarded from a person. Reply to a message forwarded from the future staff member, or use /staff add &lt;id&gt;.
staff-list-title = <b>Admins</b> (settings): { $admins }
staff-list-staff = <b>Staff</b>:
staff-list-line = • <code>{ $user }</code> — added { $date }
staff-list-empty = No staff members yet.

## Staff: tickets in the support chat
staff-ticket-header =
    🆕 <b>Request #{ $ticket }</b> · language: { $language } · user <code>{ $user }</code>
    Last step in the bot: { $interaction }
staff-ticket-followup = 💬 <b>Request #{ $ticket }</b> · the citizen writes:
staff-ticket-hint = Reply to this message to answer.
staff-delivered = ✓ Sent to the citizen (request #{ $ticket }).
staff-ticket-gone = This request no longer exists (its author deleted their data). Nothing was sent.
staff-ticket-not-found = Request #{ $ticket } not found.
staff-ticket-is-closed = Request #{ $ticket } is closed; nothing was sent.
staff-user-blocked = ⚠️ Request #{ $ticket }: the citizen has blocked the bot, the answer cannot be delivered. The request is marked.
staff-ticket-closed = Request #{ $ticket } closed by { $name }.
staff-ticket-already-closed = Request #{ $ticket } is already closed.
staff-reply-usage = Usage: /reply &lt;number&gt; &lt;text&gt;, or reply to a request's message in the support chat.
staff-close-usage = Usage: /close &lt;number&gt;, or send /close as a reply to a request's message.
staff-reply-empty = Nothing to send: the answer is empty.
staff-no-support-chat = The support chat is not configured (SUPPORT_CHAT_ID).
button-ticket-close = ✅ Close
staff-interaction-none = —

## Staff: lists
staff-list-more = …and { $count } more
staff-tickets-title = <b>Open requests: { $count }</b> (oldest first)
staff-tickets-line = #{ $ticket } · waiting { $wait } · { $language }{ $flags }
staff-tickets-answered = · answered
staff-tickets-blocked = · ⚠️ blocked the bot
staff-tickets-empty = No open requests. 🎉
staff-unanswered-title = <b>Questions the FAQ could not answer</b> (most frequent first). ➕ attach to an FAQ question (the bot answers them at once), 🗑 dismiss.
staff-teach-line = <b>{ $number }.</b> { $count }× { $example }{ $similar } <i>({ $languages })</i>
staff-teach-similar = {" "}(+{ $count } similar)
staff-teach-button-attach = ➕ { $number }
staff-teach-button-dismiss = 🗑 { $number }
staff-teach-button-back = ⬅️ Back to the list
staff-teach-pick = Which FAQ question answers “{ $example }”{ $similar }? The bot will answer such questions with it at once.
staff-teach-attached = ✅ { $count ->
        [one] { $count } wording attached
       *[other] { $count } wordings attached
    } to “{ $title }”. The bot answers them already; see /wordings.
staff-teach-attached-short = Attached ✅
staff-teach-dismissed = Dismissed.
staff-teach-gone = The list has changed: here it is now.
staff-wordings-title = <b>Wordings staff taught the bot</b> (newest first); 🗑 removes one:
staff-wordings-line = <b>{ $number }.</b> “{ $text }” → { $title } <i>({ $language }; added by { $user }, { $date })</i>
staff-wordings-empty = Staff have not taught the bot any wording yet. Add some from /unanswered.
staff-wordings-removed = Wording removed: the bot no longer uses it.
staff-wordings-button-remove = 🗑 { $number }
staff-unanswered-empty = No unanswered questions.

## Staff: durations
dur-seconds = { $s } s
dur-minutes = { $m } min
dur-hours = { $h } h { $m } min
dur-days = { $d } d { $h } h

## Staff: /stats
staff-stats =
    <b>Statistics</b>
    Users: { $users } (active { $active }, blocked the bot { $blocked })

    <b>Checks</b>: { $checks }
    { $outcomes }
    <b>Reasons</b>:
    { $reasons }

    Certificates recorded: { $certificates }
    <b>Reminders</b>: { $reminders }

    <b>Requests</b>: open { $open }, closed { $closed }, answered { $answered }
    Median time to the first answer: { $median }
    Unanswered FAQ questions: { $questions }
staff-chart-title = The last 30 days: { $first } – { $last } (UTC days)
staff-chart-questions = Questions the FAQ did not answer
staff-chart-asked = asked
staff-chart-checks = Checks
staff-chart-certificates = Certificates saved in the bot
staff-chart-saved = saved
staff-chart-reminders = Reminders
staff-chart-sent = sent
staff-chart-tickets = Requests to the staff
staff-chart-opened = opened
staff-chart-answered = answered
staff-chart-scale = max { $count } a day
staff-chart-reasons = Most frequent reasons for "no" (last 30 days)
staff-chart-caption = 📊 The last 30 days, day by day. The numbers are in the message above.
staff-stats-none = —
staff-stats-item = • { $name }: { $count }

## Codes, readable (last step, outcomes, reasons)
code-check = eligibility check
code-faq = FAQ
code-cert = certificate
code-guide = guide
code-support = support
code-pcr = a PCR test, not antibodies
code-eligible = eligible
code-not_eligible = not eligible
code-uncertain = uncertain
code-has_vaccination_qr = has a vaccination QR
code-has_recovery_qr = has a recovery QR
code-already_issued = certificate already issued
code-not_igg = not an IgG test
code-antibody_class_unknown = antibody class unknown
code-not_positive = result not positive
code-result_unknown = result unknown
code-result_in_future = result date in the future
code-result_too_old = result too old
code-lab_not_accredited = lab not accredited
code-lab_not_sending_to_epgu = lab does not send to Gosuslugi
code-lab_unknown = lab unknown
code-pending = pending
code-sending = sending
code-sent = sent
code-failed = failed
code-blocked = blocked
code-cancelled = cancelled

## Admin: /broadcast
broadcast-usage = Usage: /broadcast &lt;text&gt; — the text goes to every active user (after a preview).
broadcast-preview = 📣 Preview. This message will go to <b>{ $count }</b> active users:
broadcast-expired = This preview is out of date. Send /broadcast again.
broadcast-confirm = ⬆️ The message above will be sent to <b>{ $count }</b> active users. Send it?
button-broadcast-confirm = 📣 Send
button-broadcast-cancel = ✖️ Cancel
broadcast-cancelled = Broadcast cancelled.
broadcast-busy = A broadcast is already running.
broadcast-progress = 📣 Broadcast: { $done } of { $total } done (delivered { $sent }, blocked { $blocked }, failed { $failed })…
broadcast-done = 📣 Broadcast finished: delivered <b>{ $sent }</b> of { $total }; blocked the bot: { $blocked }; failed: { $failed }.
button-broadcast-stop = ⏹ Stop the broadcast
broadcast-stopping = Broadcast stopped: nobody else will get it.
broadcast-not-running = This broadcast has already ended.
broadcast-stopped = 📣 Broadcast stopped: delivered <b>{ $sent }</b> of { $total }; blocked the bot: { $blocked }; failed: { $failed }.
support-snils-hidden = 🔒 We hid the SNILS number in your message: staff do not need it.
