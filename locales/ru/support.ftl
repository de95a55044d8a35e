# Поддержка: сторона гражданина (вопрос сотруднику) и сторона сотрудников (чат поддержки, команды).

## Гражданин
support-unavailable = К сожалению, сейчас связаться с сотрудником через бота нельзя. Пожалуйста, позвоните в лабораторию.
support-unavailable-contacts = К сожалению, сейчас связаться с сотрудником через бота нельзя. Свяжитесь с лабораторией: { $contacts }
support-ask =
    Напишите ваш вопрос сотруднику одним сообщением.
    Можно прислать фото результата анализа или документ — вопрос напишите в подписи.
    /cancel — отмена
support-wrong-content = Пришлите, пожалуйста, текст, фото или документ. /cancel — отмена
support-sent =
    Ваше обращение <b>№{ $ticket }</b> отправлено. ✅
    Сотрудник ответит здесь, в этом чате.
support-open-status =
    Ваше обращение <b>№{ $ticket }</b> открыто с { $since }.
    Статус: { $status }.
    Ответ придёт сюда, в этот чат. Чтобы что-то добавить, нажмите кнопку ниже.
support-status-waiting = ждёт ответа
support-status-answered = есть ответ
support-too-many-tickets = За последний час вы уже отправили { $limit } обращения. Пожалуйста, попробуйте позже.
support-message-cap = В обращении <b>№{ $ticket }</b> уже много сообщений. Пожалуйста, дождитесь ответа сотрудника.
support-ticket-not-open = Обращение <b>№{ $ticket }</b> уже закрыто. Чтобы задать новый вопрос, нажмите /support.
support-reply-prompt =
    Напишите сообщение для обращения <b>№{ $ticket }</b> (текст, фото или документ).
    /cancel — отмена
support-added = Добавлено в обращение <b>№{ $ticket }</b>. ✅
support-send-failed = К сожалению, не удалось передать сообщение. Попробуйте, пожалуйста, чуть позже.
support-answer-prefix = 💬 <b>Ответ лаборатории</b> (обращение №{ $ticket }):
support-closed = Обращение <b>№{ $ticket }</b> закрыто. Если появится другой вопрос — нажмите /support.
button-support-add = ✍️ Дополнить
button-support-reply = ↩️ Ответить

## Сотрудники: роли
staff-not-allowed = Извините, это недоступно.
staff-usage =
    /staff add &lt;id&gt; — добавить сотрудника (или ответьте /staff add на пересланное сообщение)
    /staff remove &lt;id&gt; — убрать сотрудника
    /staff list — сотрудники и администраторы
staff-added = Пользователь <code>{ $user }</code> теперь сотрудник.
staff-already = Пользователь <code>{ $user }</code> уже сотрудник.
staff-removed = Пользователь <code>{ $user }</code> больше не сотрудник.
staff-not-staff = Пользователь <code>{ $user }</code> не сотрудник.
staff-remove-admin = Пользователь <code>{ $user }</code> — администратор (ADMIN_IDS в настройках); чтобы убрать его, измените настройки.
staff-bad-id = «{ $value }» — не id пользователя Telegram (положительное число).
staff-forward-hidden = Этот человек скрывает свой аккаунт в пересланных сообщениях, поэтому я не вижу его id. Попросите у него числовой id Telegram и используйте /staff add &lt;id&gt;.
staff-forward-not-user = Это сообщение переслано не от человека. Ответьте на сообщение, пересланное от будущего сотрудника, или используйте /staff add &lt;id&gt;.
staff-list-title = <b>Администраторы</b> (настройки): { $admins }
staff-list-staff = <b>Сотрудники</b>:
staff-list-line = • <code>{ $user }</code> — добавлен { $date }
staff-list-empty = Сотрудников пока нет.

## Сотрудники: обращения в чате поддержки
staff-ticket-header =
    🆕 <b>Обращение №{ $ticket }</b> · язык: { $language } · пользователь <code>{ $user }</code>
    Последний шаг в боте: { $interaction }
staff-ticket-followup = 💬 <b>Обращение №{ $ticket }</b> · пишет гражданин:
staff-ticket-hint = Чтобы ответить, ответьте (reply) на это сообщение.
staff-delivered = ✓ Отправлено гражданину (обращение №{ $ticket }).
staff-ticket-gone = Этого обращения больше нет (человек удалил свои данные). Ничего не отправлено.
staff-ticket-not-found = Обращение №{ $ticket } не найдено.
staff-ticket-is-closed = Обращение №{ $ticket } закрыто; ничего не отправлено.
staff-user-blocked = ⚠️ Обращение №{ $ticket }: гражданин заблокировал бота, ответ доставить нельзя. Обращение помечено.
staff-ticket-closed = Обращение №{ $ticket } закрыл(а) { $name }.
staff-ticket-already-closed = Обращение №{ $ticket } уже закрыто.
staff-reply-usage = Использование: /reply &lt;номер&gt; &lt;текст&gt; или ответ (reply) на сообщение обращения в чате поддержки.
staff-close-usage = Использование: /close &lt;номер&gt; или /close ответом на сообщение обращения.
staff-reply-empty = Нечего отправлять: ответ пустой.
staff-no-support-chat = Чат поддержки не настроен (SUPPORT_CHAT_ID).
button-ticket-close = ✅ Закрыть
staff-interaction-none = —

## Сотрудники: списки
staff-list-more = …и ещё { $count }
staff-tickets-title = <b>Открытых обращений: { $count }</b> (сначала старые)
staff-tickets-line = №{ $ticket } · ждёт { $wait } · { $language }{ $flags }
staff-tickets-answered = · есть ответ
staff-tickets-blocked = · ⚠️ заблокировал бота
staff-tickets-empty = Открытых обращений нет. 🎉
staff-unanswered-title = <b>Вопросы, на которые FAQ не ответил</b> (сначала частые). ➕ — отнести к вопросу FAQ (бот сразу начнёт на них отвечать), 🗑 — убрать.
staff-teach-line = <b>{ $number }.</b> { $count }× { $example }{ $similar } <i>({ $languages })</i>
staff-teach-similar = { $count ->
        [one] {" "}(+{ $count } похожий)
        [few] {" "}(+{ $count } похожих)
       *[other] {" "}(+{ $count } похожих)
    }
staff-teach-button-attach = ➕ { $number }
staff-teach-button-dismiss = 🗑 { $number }
staff-teach-button-back = ⬅️ К списку
staff-teach-pick = К какому вопросу FAQ отнести «{ $example }»{ $similar }? Бот сразу начнёт отвечать на такие вопросы этим ответом.
staff-teach-attached = ✅ { $count ->
        [one] { $count } формулировка добавлена
        [few] { $count } формулировки добавлены
       *[other] { $count } формулировок добавлено
    } к вопросу «{ $title }». Бот уже отвечает на них; список — /wordings.
staff-teach-attached-short = Добавлено ✅
staff-teach-dismissed = Убрано из списка.
staff-teach-gone = Список изменился — вот он сейчас.
staff-wordings-title = <b>Формулировки, которым сотрудники научили бота</b> (новые сверху); 🗑 — удалить:
staff-wordings-line = <b>{ $number }.</b> «{ $text }» → { $title } <i>({ $language }; добавил { $user }, { $date })</i>
staff-wordings-empty = Сотрудники пока не добавляли формулировок. Добавить можно в /unanswered.
staff-wordings-removed = Формулировка удалена: бот больше её не учитывает.
staff-wordings-button-remove = 🗑 { $number }
staff-unanswered-empty = Вопросов без ответа нет.

## Сотрудники: длительность
dur-seconds = { $s } с
dur-minutes = { $m } мин
dur-hours = { $h } ч { $m } мин
dur-days = { $d } д { $h } ч

## Сотрудники: /stats
staff-stats =
    <b>Статистика</b>
    Пользователи: { $users } (активных { $active }, заблокировали бота { $blocked })

    <b>Проверки</b>: { $checks }
    { $outcomes }
    <b>Причины</b>:
    { $reasons }

    Записано сертификатов: { $certificates }
    <b>Напоминания</b>: { $reminders }

    <b>Обращения</b>: открыто { $open }, закрыто { $closed }, с ответом { $answered }
    Медиана времени до первого ответа: { $median }
    Вопросов без ответа в FAQ: { $questions }
staff-chart-title = Последние 30 дней: { $first } – { $last } (дни по UTC)
staff-chart-questions = Вопросы без ответа в FAQ
staff-chart-asked = задано
staff-chart-checks = Проверки
staff-chart-certificates = Сертификаты, сохранённые в боте
staff-chart-saved = сохранено
staff-chart-reminders = Напоминания
staff-chart-sent = отправлено
staff-chart-tickets = Обращения к сотрудникам
staff-chart-opened = открыто
staff-chart-answered = с ответом
staff-chart-scale = макс. { $count } в день
staff-chart-reasons = Частые причины «нельзя» (за 30 дней)
staff-chart-caption = 📊 Последние 30 дней по дням. Цифры — в сообщении выше.
staff-stats-none = —
staff-stats-item = • { $name }: { $count }

## Коды, по-человечески (последний шаг, исходы, причины)
code-check = проверка возможности
code-faq = частые вопросы
code-cert = сертификат
code-guide = инструкция
code-support = поддержка
code-pcr = ПЦР-тест, не антитела
code-eligible = можно
code-not_eligible = нельзя
code-uncertain = не уверены
code-has_vaccination_qr = есть QR о вакцинации
code-has_recovery_qr = есть QR о перенесённой болезни
code-already_issued = сертификат уже выдавался
code-not_igg = анализ не на IgG
code-antibody_class_unknown = класс антител неизвестен
code-not_positive = результат не положительный
code-result_unknown = результат неизвестен
code-result_in_future = дата результата в будущем
code-result_too_old = результат слишком старый
code-lab_not_accredited = лаборатория не аккредитована
code-lab_not_sending_to_epgu = лаборатория не передаёт на Госуслуги
code-lab_unknown = лаборатория неизвестна
code-pending = ожидают
code-sending = отправляются
code-sent = отправлены
code-failed = ошибка
code-blocked = заблокировали бота
code-cancelled = отменены

## Админ: /broadcast
broadcast-usage = Использование: /broadcast &lt;текст&gt; — текст уйдёт всем активным пользователям (после предпросмотра).
broadcast-preview = 📣 Предпросмотр. Это сообщение получат <b>{ $count }</b> активных пользователей:
broadcast-expired = Этот предпросмотр устарел. Отправьте /broadcast ещё раз.
broadcast-confirm = ⬆️ Сообщение выше получат <b>{ $count }</b> активных пользователей. Отправить?
button-broadcast-confirm = 📣 Отправить
button-broadcast-cancel = ✖️ Отмена
broadcast-cancelled = Рассылка отменена.
broadcast-busy = Рассылка уже идёт.
broadcast-progress = 📣 Рассылка: { $done } из { $total } (доставлено { $sent }, заблокировали { $blocked }, ошибок { $failed })…
broadcast-done = 📣 Рассылка завершена: доставлено <b>{ $sent }</b> из { $total }; заблокировали бота: { $blocked }; ошибок: { $failed }.
button-broadcast-stop = ⏹ Остановить рассылку
broadcast-stopping = Рассылка остановлена: больше никто её не получит.
broadcast-not-running = Эта рассылка уже закончилась.
broadcast-stopped = 📣 Рассылка остановлена: доставлено <b>{ $sent }</b> из { $total }; заблокировали бота: { $blocked }; ошибок: { $failed }.
support-snils-hidden = 🔒 Номер СНИЛС в вашем сообщении мы скрыли: сотрудникам он не нужен.
