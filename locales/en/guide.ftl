# Step by step: how to generate the certificate on Gosuslugi (the memo, steps 2–6).

guide-intro = <b>How to generate the antibody QR code on Gosuslugi.</b> I'll show one step at a time. When you've done a step, press “Done”.
guide-step = <b>Step { $step } of { $total }.</b>
    { $text }
guide-step-1 = Log in to the Gosuslugi portal (gosuslugi.ru) with your own account.
guide-step-2 = Click the banner «Сертификаты и QR-коды» (Certificates and QR codes) — it appears after you log in.
guide-step-3 = Open the tab «Антитела» (Antibodies).
guide-step-4 = In the right corner of the screen there is a banner to generate the QR code. Press the button «Сформировать сертификат» (Generate certificate). The banner is shown only if you have no valid QR codes.
guide-step-5 = A pop-up with a warning appears. If you agree, press «Сформировать сертификат» (Generate certificate) in it.

guide-missing-1 = Log in with your own account — the one registered to your SNILS: that's where the laboratory sends the result. The account must be a confirmed one. If you can't log in, restore access on the Gosuslugi login page.
guide-missing-2 = The banner «Сертификаты и QR-коды» appears only after you log in with your own account. If you are logged in and there is no banner, the test result may not be on the portal yet: the laboratory sends it. Wait or ask the laboratory.
guide-missing-3 = If there is no «Антитела» tab or your result isn't in it, the laboratory most likely hasn't sent the result to Gosuslugi yet. The laboratory sends it itself if you showed your passport and SNILS and signed the consent to data transfer when you took the test. Wait or ask the laboratory.
guide-missing-4 = There is no «Сформировать сертификат» button if you have already had a QR code after vaccination or recovery: then an antibody certificate can't be generated. To extend your QR code, get vaccinated or take a PCR test. Also, the antibody certificate can be generated only once and only from a positive IgG result no older than 6 months.
guide-missing-5 = The warning pop-up appears right after you press «Сформировать сертификат». If it doesn't, reload the page and press the button again.

guide-button-done = Done ✅
guide-button-missing = I don't see this
guide-button-support = 💬 Ask a staff member
guide-button-save = 💾 Save it in the bot
guide-cancelled = The guide is closed.
guide-finish =
    <b>Done!</b> The certificate is valid for 6 months from the date of the positive IgG antibody test.
    Save it in the bot — I'll remind you before it expires.
guide-finish-dated = For your test of { $date } the certificate is valid until { $expires }, { days-left }.
