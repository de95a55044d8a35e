# Certificate expiry reminders (bot/reminders, /reminders).

reminder-text =
    ⏰ <b>A reminder about your antibody certificate</b>
    { $days ->
        [0] Today, { $date }, your IgG antibody QR certificate expires.
       *[other] Your IgG antibody QR certificate is valid until { $date }: { $days } { $days ->
            [one] day
           *[other] days
        } left.
    }

    <b>What next.</b> The antibody certificate can't be generated twice. To keep a valid QR code, get vaccinated or take a PCR test: after that a new QR code appears on Gosuslugi.
reminder-button-off = 🔕 Turn reminders off

reminders-status-on = 🔔 Reminders are <b>on</b>: I'll write when the days left until your certificate expires are: { $days }, at { $hour }:00.
reminders-next = Next reminder: { $date }.
reminders-none-planned = No reminders are planned yet: they appear when you save your certificate.
reminders-status-off = 🔕 Reminders are <b>off</b>: I won't write about your certificate expiring.
reminders-button-on = 🔔 Turn reminders on
reminders-button-off = 🔕 Turn reminders off
reminders-turned-on = 🔔 Reminders are on.
reminders-turned-off = 🔕 Reminders are off. To turn them back on: /reminders
