package io.sweepd.app;

import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.Ledger;
import io.sweepd.notify.NotificationSummaries;
import io.sweepd.notify.Notifier;
import io.sweepd.notify.NotifyCommand;
import io.sweepd.notify.NotifySettings;
import io.sweepd.notify.Webhook;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** The notifier the {@code sweepd.notify.*} settings describe; a wrong setting stops the daemon at start-up. */
public final class NotifierFactory {

    private NotifierFactory() {
    }

    /** @param environment where {@code ${env:NAME}} in sweepd.notify.headers is looked up (the daemon's own) */
    public static Notifier create(SweepdSettings settings, Ledger ledger, CommandRunner commands, Clock clock,
                                  Map<String, String> environment) {
        NotifySettings notify = NotifySettings.parse(settings.get("sweepd.notify.command"),
                settings.get("sweepd.notify.url"), settings.get("sweepd.notify.headers"),
                settings.get("sweepd.notify.on"), settings.getLong("sweepd.notify.timeout-ms"), environment);
        return new Notifier(notify, new NotificationSummaries(ledger, settings.reports(), clock),
                notify.hasCommand() ? Optional.of(new NotifyCommand(commands, notify.command(), notify.timeout(),
                        settings.home())) : Optional.empty(),
                notify.hasUrl() ? Optional.of(new Webhook(notify)) : Optional.empty());
    }
}
