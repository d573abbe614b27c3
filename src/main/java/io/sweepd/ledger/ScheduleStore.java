package io.sweepd.ledger;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cron schedules: which sweeps re-run when, their text (so a restart needs no file), and what their last
 * firing did. Thread-safe; every method is one transaction.
 */
public final class ScheduleStore {

    private final Jdbi jdbi;
    private final Clock clock;
    private final Owner owner;

    ScheduleStore(Jdbi jdbi, Clock clock, Owner owner) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Registers a schedule, or replaces the definition of the one with its name (cron, source, text). What its
     * firings did so far is kept, so the report and status still find its last run; a file problem is cleared,
     * since the definition is good.
     *
     * @return true when the schedule is new or its definition changed
     */
    public boolean register(ScheduleRecord schedule) {
        return jdbi.inTransaction(h -> {
            Optional<ScheduleRecord> existing = find(h, schedule.name());
            Instant now = Rows.micros(clock.instant());
            if (existing.isEmpty()) {
                h.createUpdate("INSERT INTO schedules (name, cron, source, source_file, source_dir, profile_override, "
                                + "sweep_text, registered_at, owner) VALUES (:name, :cron, :source, :file, :dir, "
                                + ":profile, :text, :now, :owner)")
                        .bindMap(definition(schedule)).bind("now", Rows.instant(now)).bind("owner", owner.name())
                        .execute();
                return true;
            }
            boolean changed = !existing.get().sameDefinition(schedule);
            if (changed || existing.get().fileProblem() != null) {
                h.createUpdate("UPDATE schedules SET cron = :cron, source = :source, source_file = :file, "
                                + "source_dir = :dir, profile_override = :profile, sweep_text = :text, "
                                + "registered_at = :registered, file_problem = NULL, owner = :owner WHERE name = :name")
                        .bindMap(definition(schedule)).bind("owner", owner.name())
                        .bind("registered", Rows.instant(changed ? now : existing.get().registeredAt()))
                        .execute();
            }
            return changed;
        });
    }

    public Optional<ScheduleRecord> schedule(String name) {
        return jdbi.withHandle(h -> find(h, name));
    }

    /** Every schedule (registered with this ledger handle's owner), by name. */
    public List<ScheduleRecord> schedules() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM schedules WHERE 1 = 1"
                        + owner.owns("owner") + " ORDER BY name"))
                .map((rs, ctx) -> read(rs)).list());
    }

    /** @return true when there was such a schedule */
    public boolean remove(String name) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM schedules WHERE name = :name")
                .bind("name", name).execute()) > 0;
    }

    /** A firing recorded a run. */
    public void fired(String name, Instant at, String runId) {
        update("UPDATE schedules SET last_fired_at = :at, last_run_id = :run WHERE name = :name",
                name, at, runId);
    }

    /** A firing made no run, and why (the previous run still active, the sweep no longer plans). */
    public void skipped(String name, Instant at, String reason) {
        update("UPDATE schedules SET last_fired_at = :at, last_skipped_at = :at, last_skip_reason = :run "
                + "WHERE name = :name", name, at, Rows.clamp(reason));
    }

    /** What is wrong with the schedule's file now (null: nothing); the definition stays as it was. */
    public void fileProblem(String name, String problem) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE schedules SET file_problem = :problem WHERE name = :name")
                .bind("problem", Rows.clamp(problem)).bind("name", name).execute());
    }

    private void update(String sql, String name, Instant at, String text) {
        jdbi.useHandle(h -> h.createUpdate(sql)
                .bind("at", Rows.instant(Rows.micros(Objects.requireNonNull(at, "at"))))
                .bind("run", text).bind("name", name).execute());
    }

    private static Map<String, Object> definition(ScheduleRecord schedule) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", schedule.name());
        values.put("cron", schedule.cron());
        values.put("source", schedule.source().name());
        values.put("file", schedule.sourceFile());
        values.put("dir", schedule.sourceDir());
        values.put("profile", schedule.profileOverride());
        values.put("text", schedule.sweepText());
        return values;
    }

    private static Optional<ScheduleRecord> find(Handle h, String name) {
        return h.createQuery("SELECT * FROM schedules WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    private static ScheduleRecord read(ResultSet rs) throws SQLException {
        return new ScheduleRecord(rs.getString("name"), rs.getString("cron"),
                ScheduleSource.valueOf(rs.getString("source")), rs.getString("source_file"),
                rs.getString("source_dir"), rs.getString("profile_override"), rs.getString("sweep_text"),
                instant(rs, "registered_at"), instant(rs, "last_fired_at"), rs.getString("last_run_id"),
                instant(rs, "last_skipped_at"), rs.getString("last_skip_reason"), rs.getString("file_problem"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
