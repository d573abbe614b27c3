package io.sweepd.app;

import io.sweepd.files.FileModes;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.LedgerDamaged;
import io.sweepd.slurm.ControllerPing;
import io.sweepd.slurm.SlurmClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the daemon checks before it says it runs: its directories, that no other daemon runs on its home, Slurm
 * (the slurm.conf it uses and {@code scontrol ping}) and the ledger. Each check logs one INFO line when fine; what the daemon cannot run
 * without is a {@link StartupCheckFailed} naming what is wrong and what to check. Started before Camel, so a
 * broken setup never half-starts the routes.
 */
public final class StartupChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);
    static final String REQUIRE_SLURM = "sweepd.startup.require-slurm";

    private final SweepdSettings settings;
    private final Map<String, String> environment;

    /** @param environment the daemon's own environment, for SLURM_CONF when the settings name none */
    public StartupChecks(SweepdSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
    }

    /** inbox, outputs, state and reports exist (created when missing) and take a file. */
    public void directories() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        dirs.put("inbox (sweepd.inbox-dir)", settings.inbox());
        dirs.put("outputs (sweepd.outputs-dir)", settings.outputs());
        dirs.put("state (sweepd.state-dir)", settings.state());
        dirs.put("reports (sweepd.reports-dir)", settings.reports());
        // Created owner-only (or group-readable, sweepd.files.group-readable) when missing: the ledger, reports and
        // job directories inside them are then nobody else's business, whatever the daemon's umask.
        FileModes modes = settings.fileModes();
        dirs.forEach((name, dir) -> writableDirectory(name, dir, modes));
        LOG.info("startup check: directories ok: inbox {}, outputs {}, state {}, reports {}", settings.inbox(),
                settings.outputs(), settings.state(), settings.reports());
    }

    private static void writableDirectory(String name, Path dir, FileModes modes) {
        try {
            modes.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupCheckFailed("the " + name + " directory " + dir + " does not exist and cannot be"
                    + " created (" + describe(e) + "); check the path and sweepd.home, or create it");
        }
        // isWritable answers from permission bits, which ACLs, root squash and read-only mounts ignore: write.
        try {
            Files.delete(Files.createTempFile(dir, ".sweepd-startup-", ".tmp"));
        } catch (IOException e) {
            throw new StartupCheckFailed("the " + name + " directory " + dir + " is not writable (" + describe(e)
                    + "); check its owner and permissions for the user running sweepd");
        }
    }

    /**
     * That no other daemon runs on this home: takes the {@link DaemonLock} of the state directory, for the daemon's
     * life. Runs before the ledger opens, so a second daemon never touches the jobs.
     *
     * @return the lock, to hold until the daemon stops
     * @throws StartupCheckFailed naming the daemon that holds it
     */
    public DaemonLock exclusiveHome() {
        Path state = settings.state();
        DaemonLock lock = DaemonLock.tryAcquire(state, Clock.systemUTC()).orElseThrow(() -> new StartupCheckFailed(
                "another sweepd daemon runs on this home: " + DaemonLock.holder(state) + " (it holds "
                        + DaemonLock.file(state) + "); stop it first, or start this one with --standby to take"
                        + " over when it stops"));
        LOG.info("startup check: home ok: this daemon holds {}", lock.file());
        return lock;
    }

    /**
     * A standby daemon: waits until no other daemon runs on this home, trying the lock every {@code poll}, and
     * takes it. The operating system frees the lock the moment its holder dies, so the takeover comes at most one
     * {@code poll} after.
     *
     * @return the lock, to hold until the daemon stops
     * @throws InterruptedException when the daemon is stopped while it waits
     */
    public DaemonLock standbyForHome(Duration poll) throws InterruptedException {
        Path state = settings.state();
        String waitingFor = null;
        while (true) {
            var lock = DaemonLock.tryAcquire(state, Clock.systemUTC());
            if (lock.isPresent()) {
                if (waitingFor != null) {
                    LOG.info("standby: the daemon on this home ({}) stopped; taking over", waitingFor);
                }
                LOG.info("startup check: home ok: this daemon holds {}", lock.get().file());
                return lock.get();
            }
            if (waitingFor == null) {
                waitingFor = DaemonLock.holder(state);
                LOG.info("standby: another sweepd daemon runs on this home ({}); taking over when it stops"
                        + " (checking every {} ms)", waitingFor, poll.toMillis());
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * The slurm.conf in use and {@code scontrol ping}. Missing Slurm commands, a configured slurm.conf that does
     * not exist and a configuration scontrol cannot use are fatal; no controller answering is fatal unless
     * {@code sweepd.startup.require-slurm=false} (a login node may boot before slurmctld), then a warning.
     */
    public void slurm(SlurmClient slurm) {
        String conf = slurmConf();
        ControllerPing ping = slurm.ping();
        switch (ping.reach()) {
            case UP -> LOG.info("startup check: Slurm ok: {}; slurm.conf {}", ping.message(), conf);
            case NO_COMMAND -> throw new StartupCheckFailed("Slurm's commands cannot be run (scontrol: "
                    + ping.message() + "); install the Slurm client commands on this node or put them on the"
                    + " daemon's PATH", true);
            case FAILED -> throw new StartupCheckFailed("scontrol ping failed: " + ping.message()
                    + "; check the Slurm configuration (slurm.conf " + conf + ")", true);
            case DOWN -> {
                if (settings.get(REQUIRE_SLURM).equalsIgnoreCase("false")) {
                    LOG.warn("startup check: Slurm does not answer ({}; slurm.conf {}); starting anyway ({}=false):"
                            + " jobs wait until slurmctld answers", ping.message(), conf, REQUIRE_SLURM);
                } else {
                    throw new StartupCheckFailed("no Slurm controller answers (" + ping.message() + "; slurm.conf "
                            + conf + "); check that slurmctld runs and is reachable from this node, or set "
                            + REQUIRE_SLURM + "=false to start anyway", true);
                }
            }
            default -> throw new IllegalStateException("unknown " + ping.reach());
        }
    }

    /** Which slurm.conf the Slurm commands read, and where that comes from; a configured one must be readable. */
    String slurmConf() {
        Optional<String> configured = settings.optional("sweepd.slurm.conf");
        String source = configured.isPresent() ? "sweepd.slurm.conf" : "SLURM_CONF";
        Optional<String> path = configured.or(() -> Optional.ofNullable(environment.get("SLURM_CONF"))
                .filter(value -> !value.isBlank()));
        if (path.isEmpty()) {
            return "(Slurm's default: its built-in path, usually /etc/slurm/slurm.conf, or configless)";
        }
        Path file = Path.of(path.get());
        if (!Files.isRegularFile(file)) {
            throw new StartupCheckFailed("the slurm.conf " + file + " (from " + source + ") does not exist or is not"
                    + " a file; point " + source + " at the cluster's slurm.conf, or leave it empty for Slurm's"
                    + " default", true);
        }
        if (!Files.isReadable(file)) {
            throw new StartupCheckFailed("the slurm.conf " + file + " (from " + source + ") is not readable by the"
                    + " user running sweepd; check its permissions", true);
        }
        return file + " (from " + source + ")";
    }

    /**
     * Opens the ledger and reads from it. Fatal when either fails; the message names the JDBC URL and never the
     * password.
     *
     * @return the open ledger, for the daemon to use
     */
    public Ledger ledger(Supplier<Ledger> open) {
        String url = LedgerFactory.url(settings);
        Ledger ledger;
        try {
            ledger = open.get();
        } catch (LedgerDamaged e) {
            throw new StartupCheckFailed(e.getMessage());
        } catch (RuntimeException e) {
            throw new StartupCheckFailed("the ledger " + url + " cannot be opened (" + rootCause(e)
                    + "); check sweepd.ledger.jdbc-url, its user and password, and that the database is up");
        }
        try {
            ledger.runs().run("sweepd-startup-check"); // a read through the stores the routes use
        } catch (RuntimeException e) {
            ledger.close();
            throw new StartupCheckFailed("the ledger " + url + " opened but cannot be read (" + rootCause(e)
                    + "); check the database user's rights on sweepd's tables");
        }
        LOG.info("startup check: ledger ok: {}", url);
        return ledger;
    }

    /** The innermost cause's message: what the driver said. The password is cut out should a driver echo it. */
    private String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = describe(root);
        String password = settings.get("sweepd.ledger.password");
        return password.isEmpty() ? message : message.replace(password, "***");
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage();
    }
}
