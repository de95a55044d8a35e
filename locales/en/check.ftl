# /check: can I get the certificate (QR code) for IgG antibodies? The memo, Penza region.

check-intro =
    <b>Let's check whether you can get the QR code (certificate) for IgG antibodies to COVID-19.</b>
    I'll ask a few questions, one at a time. At any step you can go back or cancel the check.

## Questions
check-q-test = <b>Question 1 of 9.</b> What was the test for?
check-q-measure = <b>Question 2 of 9.</b> Is the result qualitative (antibodies found / not found) or quantitative (a number, e.g. 150 BAU/ml)?
check-q-result = <b>Question 3 of 9.</b> Is the result positive (antibodies found) or negative?
check-q-date =
    <b>Question 4 of 9.</b> On what date did you get the result (the date on the result form)?
    Type the date as day.month.year, e.g. <code>05.03.2026</code>. You can also type “today” or “yesterday”.
check-q-accredited = <b>Question 5 of 9.</b> Is the laboratory where you took the test accredited by Rospotrebnadzor?
check-q-epgu = <b>Question 6 of 9.</b> Does the laboratory send results to the Gosuslugi portal (ЕПГУ)?
check-q-vaccination = <b>Question 7 of 9.</b> Have you ever had a vaccination QR code on Gosuslugi?
check-q-recovery = <b>Question 8 of 9.</b> Have you ever had a recovery QR code (“переболевший”) on Gosuslugi?
check-q-issued = <b>Question 9 of 9.</b> Have you already generated an antibody certificate (QR code)?

## Answer buttons
check-test-igg = IgG antibodies
check-test-igm = IgM antibodies
check-test-total = Total antibodies
check-test-unknown = I don't know
check-test-pcr = It was a PCR test
check-measure-qualitative = Qualitative
check-measure-quantitative = Quantitative
check-measure-unknown = I don't know
check-result-positive = Positive
check-result-negative = Negative
check-result-unknown = I don't know / no result yet
check-accredited-yes = Yes
check-accredited-no = No
check-accredited-unknown = I don't know
check-epgu-yes = Yes
check-epgu-no = No
check-epgu-unknown = I don't know
check-vaccination-yes = Yes, I had one
check-vaccination-no = No
check-recovery-yes = Yes, I had one
check-recovery-no = No
check-issued-yes = Yes, I did
check-issued-no = No
check-button-again = 🔁 Check again
check-button-guide = 🧭 Walk me through Gosuslugi
## Service replies
check-stale = This button belongs to an earlier question. Answer the latest question or start again: /check
check-cancelled = The check is cancelled.
check-lost = Some answers got lost — let's start the check again.
check-use-buttons = Please choose an answer with a button under the question.
check-date-need-text = Please type the date as text, e.g. 05.03.2026.
check-issued-hint = You have a certificate saved in the bot for the test of { $date } — so you have already generated an antibody certificate.
check-date-future = { $date } is in the future; I need the date of a result you already have. Check it and type it again, for example 05.03.2026.
check-date-accepted = Result date: { $date }.
check-pcr =
    <b>A PCR test is not an antibody test.</b>
    The antibody QR code is generated only from a blood test for IgG antibodies to COVID-19. A PCR result cannot give you this certificate.
    A PCR test helps with something else: if you already have a QR code after vaccination or recovery, you can extend it with a vaccination or a PCR test.
    If you want the antibody certificate, take an IgG antibody test in a laboratory accredited by Rospotrebnadzor that sends results to Gosuslugi. You can do it at our laboratory.

## Date errors
check-date-error-empty = You didn't type a date.
check-date-error-unrecognized = “{ $text }” doesn't look like a date. Type the day, month and year, e.g. 05.03.2026 or 5 March 2026.
check-date-error-missing-year = “{ $text }”: the year is missing. Type the full date, e.g. 05.03.2026.
check-date-error-month-out-of-range = “{ $text }”: there is no month { $month }; months go from 1 to 12. Type the day first, then the month, then the year (05.03.2026 is 5 March).
check-date-error-day-out-of-range = “{ $text }”: there is no day { $day }; days go from 1 to 31.
check-date-error-year-out-of-range = “{ $text }”: the year must be from { $min } to { $max }, in four digits, e.g. 05.03.2026.
check-date-error-impossible-date = “{ $text }”: { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year } has { $days } { $days ->
        [one] day
       *[other] days
    }.

## Verdict
check-verdict-eligible = ✅ From your answers, you can get the QR code (certificate) for antibodies.
check-verdict-not-eligible = ❌ From your answers, you can't get the antibody certificate right now.
check-verdict-uncertain = ❓ I can't tell for sure yet — some information is missing.

check-reason-has-vaccination-qr = You have had a vaccination QR code. The IgG antibody QR code is generated only if you have no other QR codes.
check-reason-has-recovery-qr = You have had a recovery QR code. The IgG antibody QR code is generated only if you have no other QR codes.
check-reason-already-issued = You have already generated an antibody certificate, and it can be generated only once.
check-reason-not-igg = The test was not for IgG antibodies. The QR code is generated only for IgG antibodies — not IgM, not total antibodies.
check-reason-antibody-class-unknown = It is not known which antibodies were tested. The QR code is generated only for IgG antibodies.
check-reason-not-positive = The result is negative. The QR code is generated only for a positive result (qualitative or quantitative).
check-reason-result-unknown = The result is not known yet. The QR code is generated only for a positive result.
check-reason-result-in-future = The result date { $date } hasn't come yet — the date is probably wrong.
check-reason-result-too-old = The result of { $date } is more than 6 months old (it ran out on { $expires }). The QR code is generated only from results no older than 6 months.
check-reason-lab-not-accredited = The laboratory is not accredited by Rospotrebnadzor. The test must be done in an accredited laboratory.
check-reason-lab-not-sending-to-epgu = The laboratory doesn't send results to Gosuslugi (ЕПГУ), and without that the certificate can't be generated.
check-reason-lab-unknown = It is not known whether the laboratory is accredited by Rospotrebnadzor and sends results to Gosuslugi.

check-step-generate-certificate-on-epgu = Next: generate the certificate on Gosuslugi — «Сертификаты и QR-коды» (Certificates and QR codes) → tab «Антитела» (Antibodies) → «Сформировать сертификат» (Generate certificate). I can walk you through it.
check-step-vaccinate-or-pcr = If you already have a QR code, you can extend it by getting vaccinated or taking a PCR test. An antibody certificate can't be generated in that case.
check-step-retest-igg-in-accredited-lab = Take a blood test for IgG antibodies in a laboratory accredited by Rospotrebnadzor that sends data to Gosuslugi (ours does). Bring your passport and SNILS and sign the consent to data transfer.
check-step-positive-result-needed = A negative result gives no antibody certificate. If a new IgG antibody test comes back positive, take this check again.
check-step-check-result-form = Look at the result form: it says which antibodies were tested (IgG is needed) and the result. Then take this check again.
check-step-wait-for-result-on-epgu = If there is no result yet, wait for it: the laboratory sends the result to Gosuslugi itself.
check-step-check-result-date = Check the date on the result form and take this check again.
check-step-ask-lab-about-epgu = Ask the laboratory whether it is accredited by Rospotrebnadzor and sends results to Gosuslugi. Our laboratory is accredited and sends results.

check-personal-note = While a reason about another QR code or an already generated certificate applies, a new antibody test won't help.

check-valid-until = The certificate is valid 6 months from the test date: until { $expires }, { days-left }.
check-valid-until-if = If everything is confirmed, the certificate will be valid until { $expires } (6 months from the test date), { days-left }.
