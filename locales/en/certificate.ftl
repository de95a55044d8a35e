# The certificate: saving it, the card, checking by QR code, deleting data (/forget).

## /mycert and the "My certificate" button

cert-none =
    You haven't saved a certificate here yet.
    Already generated it on Gosuslugi? Save it here: I'll make a card with a QR code and remind you before it expires.
cert-button-save = 📥 Save the certificate
cert-button-check = ✅ Can I get it?
cert-button-again = ➕ Save another one

## Saving, step by step

cert-button-skip = Skip ⏭
cert-button-use-date = 📅 { $date }
cert-ask-date =
    <b>Step 1 of 4.</b> The date of the positive IgG antibody test the certificate is based on.
    Type the day, month and year, for example 05.03.2026 or 5 March 2026.
cert-ask-date-suggested =
    <b>Step 1 of 4.</b> The date of the positive IgG antibody test the certificate is based on.
    Press { $date } if that's it, or type another one as DD.MM.YYYY.
cert-date-empty = Type the date as DD.MM.YYYY, for example 05.03.2026.
cert-date-unrecognized = I don't understand the date "{ $text }". Type the day, month and year, for example 05.03.2026 or 5 March 2026.
cert-date-missing-year = The year is missing. Type the full date: DD.MM.YYYY, for example 05.03.2026.
cert-date-month-out-of-range = There is no month { $month } (months go from 1 to 12). Type the date as DD.MM.YYYY.
cert-date-day-out-of-range = There is no day { $day } (days go from 1 to 31). Type the date as DD.MM.YYYY.
cert-date-year-out-of-range = The year must be between { $min } and { $max }. Type the date as DD.MM.YYYY.
cert-date-impossible = That date doesn't exist: this month has { $days } { $days ->
        [one] day
       *[other] days
    }. Check the day.
cert-date-future =
    { $date } is in the future. Such a result can't give a certificate: it is generated from a positive IgG antibody result you already have.
    Check the date and type it again.
cert-date-too-old =
    More than 6 months have passed since the result of { $date } (a certificate from it would only have been valid until { $expires }). Such a result can't give a certificate: the antibody QR code is generated only from results not older than 6 months.
    If a certificate was generated from this result, it has expired, and an antibody certificate is generated only once: for a new QR code, get vaccinated or take a PCR test. If the date is wrong, type the right one.
cert-ask-name =
    <b>Step 2 of 4.</b> How should the card be signed? Type the holder's name as you want it on the card, for example: Anna Petrova.
    At most { $max } characters.
cert-name-empty = The name can't be empty. Type how the card should be signed.
cert-name-too-long = Too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, at most { $max } allowed. Please shorten it.
cert-name-control = The name contains control characters (line breaks, tabs and the like). Type the name on one line.
cert-name-not-a-name = A name has no digits or e-mail addresses (no SNILS or phone on the card, please). Write only the name, e.g. "Anna Petrova".
cert-ask-link =
    <b>Step 3 of 4 (optional).</b> Send the certificate link from Gosuslugi — it starts with https://www.gosuslugi.ru/covid-cert/
    Then the QR code on the card leads to the official certificate. If you press "Skip", the QR code opens the certificate's status in this bot.
cert-link-not-a-link = That doesn't look like a link. Send the certificate link from Gosuslugi (https://www.gosuslugi.ru/covid-cert/…) or press "Skip".
cert-link-too-long = The link is too long. Send the certificate link from Gosuslugi (https://www.gosuslugi.ru/covid-cert/…) or press "Skip".
cert-link-not-https = The link must start with https:// — send it whole, as copied from Gosuslugi (https://www.gosuslugi.ru/covid-cert/…).
cert-link-not-gosuslugi = That link isn't to Gosuslugi. I only accept a certificate link from gosuslugi.ru (https://www.gosuslugi.ru/covid-cert/…) — or press "Skip".
cert-link-not-covid-cert = That's a Gosuslugi link, but not to a certificate. A certificate link starts with https://www.gosuslugi.ru/covid-cert/ — or press "Skip".
cert-ask-snils =
    <b>Step 4 of 4 (optional).</b> The holder's SNILS number, for example 112-233-445 95.
    Why: the antibody certificate is generated once per person, and the SNILS lets me notice an attempt to save it again.
    I keep neither the number nor any of its digits: only a fingerprint, a slow hash made with a secret key. Guessing the number from it would take a computer years, even with the bot's database and the key. I'll delete your message with the number from the chat right after reading it.
    You can press "Skip".
cert-snils-empty = I see no digits. Type the SNILS, for example 112-233-445 95, or press "Skip".
cert-snils-bad-characters = A SNILS has only digits, spaces and dashes, but this has "{ $chars }". Type the number again or press "Skip".
cert-snils-wrong-length = A SNILS has 11 digits, this has { $length }. Check the number and type it again or press "Skip".
cert-snils-bad-checksum = The check number doesn't match — there's a typo. Check the SNILS and type it again or press "Skip".
cert-snils-deleted = 🔒 I deleted your message with the SNILS from the chat.
cert-snils-not-deleted = ⚠️ I couldn't delete your message with the SNILS — please delete it yourself.
cert-snils-used =
    A certificate from a test with another date has already been saved for this SNILS, so I can't save a second one.
    The IgG antibody certificate is generated once per person. To extend your QR code, get vaccinated or take a PCR test.
    If the number has a typo, type the right one; or press "Skip" to save without the SNILS.
cert-text-only = Please send text or press a button below.
cert-saved =
    ✅ The certificate is saved. Here is your card — show it together with the official certificate.
    See it again: /mycert. Delete your data: /forget.

## The card (an image; plain text, no HTML)

card-title = Certificate: IgG antibodies to COVID-19
card-valid-from = Valid from
card-valid-until = Valid until
card-expired = Expired
card-not-yet = Not valid yet
card-days-left = { $days ->
        [0] Last day
        [one] { $days } day left
       *[other] { $days } days left
    }
card-footer-official = The QR code leads to the certificate on Gosuslugi
card-footer-bot = The QR code opens the certificate's status in the lab's bot

## The card's caption

cert-caption-title = <b>📄 Certificate: IgG antibodies to COVID-19</b>
cert-caption-holder = Holder: { $name }
cert-caption-dates = Valid from { $starts } until { $expires }
cert-caption-valid = ✅ Valid, { days-left }
cert-caption-expired = ⛔️ Expired on { $expires }. To get a QR code again, get vaccinated or take a PCR test.
cert-caption-not-yet = ⏳ Not valid yet
cert-caption-snils = SNILS checked: a certificate is saved for it only once (the number is not kept).
cert-caption-official = The QR code leads to the official certificate on Gosuslugi.
cert-caption-bot = The QR code opens the certificate's status in this bot. The official certificate is in the Gosuslugi app and website.

## Checking by QR code (/start c_…)

deeplink-valid =
    ✅ <b>The certificate is valid</b>
    Holder: { $initials }
    Valid from { $starts } until { $expires }
    <i>This is a card saved in the lab's bot. The official certificate is verified on Gosuslugi.</i>
deeplink-expired =
    ⛔️ <b>The certificate has expired</b>
    Holder: { $initials }
    Was valid from { $starts } until { $expires }
    <i>This is a card saved in the lab's bot. The official certificate is verified on Gosuslugi.</i>
deeplink-not-yet =
    ⏳ <b>The certificate is not valid yet</b>
    Holder: { $initials }
    Valid from { $starts } until { $expires }
    <i>This is a card saved in the lab's bot. The official certificate is verified on Gosuslugi.</i>
deeplink-not-found = ❌ <b>Certificate not found.</b> The link is wrong, or the holder deleted their data from the bot.

## /forget

forget-confirm =
    Delete your data from the bot? This deletes: your answers to the check, saved certificates, reminders, conversations with staff and any unfinished conversation.
    This can't be undone.
forget-confirm-again = That confirmation is out of date, so I won't delete anything by it. If you still want your data deleted, confirm again:
forget-button-yes = 🗑 Yes, delete
forget-button-no = No, keep it
forget-nothing = Nothing about you is stored here: there is nothing to delete.
forget-done =
    Done: your data is deleted.
    { $snils ->
        [yes] What is kept and why: only a fingerprint of the SNILS, a slow hash made with a secret key, without any digit of the number: guessing the number from it would take a computer years. It keeps the rule "one antibody certificate per person". Questions I couldn't answer stay without your Telegram id, with any SNILS, phone or e-mail in them masked: we use them to improve the answers; your messages to the staff stay in the lab's support chat. Nothing else about you is kept.
       *[no] What is kept: if you ever gave a SNILS when saving a certificate — only its fingerprint made with a secret key (not the number), to keep the rule "one antibody certificate per person". Questions I couldn't answer stay without your Telegram id, with any SNILS, phone or e-mail in them masked: we use them to improve the answers; your messages to the staff stay in the lab's support chat. Nothing else about you is kept.
    }
forget-cancelled = OK, nothing deleted.
