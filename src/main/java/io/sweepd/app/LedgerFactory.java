package io.sweepd.app;

import io.sweepd.ledger.Ledger;

import java.time.Clock;

/** The ledger the settings name: embedded H2 under the state directory, or a JDBC URL (PostgreSQL). */
public final class LedgerFactory {

    private LedgerFactory() {
    }

    /** Opened for this home's owner ({@link SweepdSettings#ledgerOwner()}): it acts on this home's runs only. */
    public static Ledger open(SweepdSettings settings) {
        String owner = settings.ledgerOwner();
        return settings.optional("sweepd.ledger.jdbc-url")
                .map(url -> Ledger.open(url, settings.get("sweepd.ledger.user"), settings.get("sweepd.ledger.password"),
                        Clock.systemUTC(), Ledger.OPEN_TIMEOUT, owner))
                .orElseGet(() -> Ledger.embedded(settings.state(), Clock.systemUTC(), owner));
    }


    /** The JDBC URL {@link #open} connects to (the password is a separate setting, never in it by sweepd). */
    public static String url(SweepdSettings settings) {
        return settings.optional("sweepd.ledger.jdbc-url").orElseGet(() -> Ledger.embeddedUrl(settings.state()));
    }
}
