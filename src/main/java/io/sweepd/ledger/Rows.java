package io.sweepd.ledger;

import io.sweepd.core.JobState;
import io.sweepd.core.PointState;
import org.jdbi.v3.core.argument.Argument;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Reads ledger rows into records and writes instants, the same way on H2 and PostgreSQL. */
final class Rows {

    /** Free text stays well under H2's 1 000 000-character VARCHAR limit; the job directory keeps full logs. */
    static final int MAX_TEXT = 100_000;

    private Rows() {
    }

    /**
     * Instants go in as UTC OffsetDateTime through setObject (JDBC 4.2), never as java.sql.Timestamp, whose
     * conversion goes through the JVM's default time zone.
     */
    static Argument instant(Instant value) {
        return (position, statement, context) -> {
            if (value == null) {
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(position, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
            }
        };
    }

    /** Both databases keep microseconds: truncate first so a value reads back equal to what was written. */
    static Instant micros(Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
    }

    static String clamp(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "\n[... " + (text.length() - MAX_TEXT) + " more characters]";
    }

    static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("run_id"), rs.getString("sweep_name"), rs.getString("source_file"),
                rs.getString("source_dir"), rs.getString("profile_override"), rs.getString("plan_json"),
                instant(rs, "created_at"), instant(rs, "finished_at"), RunState.valueOf(rs.getString("state")));
    }

    static JobRecord job(ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString("run_id"), rs.getString("job_key"), rs.getString("profile"),
                rs.getString("job_dir"), integer(rs, "deadline_first_log_s"), integer(rs, "deadline_healthy_s"),
                integer(rs, "deadline_total_s"), JobState.valueOf(rs.getString("state")), rs.getString("reason"),
                rs.getString("slurm_job_id"), rs.getString("job_name"), rs.getInt("attempt"),
                rs.getString("reused_from_run"), instant(rs, "created_at"), instant(rs, "submit_started_at"),
                instant(rs, "submitted_at"), instant(rs, "started_at"), instant(rs, "ended_at"),
                integer(rs, "exit_code"), instant(rs, "updated_at"), instant(rs, "settled_at"),
                rs.getInt("settle_attempts"), instant(rs, "settle_after"), rs.getString("settle_error"));
    }

    static PointRecord point(ResultSet rs) throws SQLException {
        return new PointRecord(rs.getString("run_id"), rs.getString("point_id"), rs.getString("job_key"),
                rs.getString("matrix_json"), rs.getString("refused_reason"),
                PointState.valueOf(rs.getString("state")));
    }

    static EventRecord event(ResultSet rs) throws SQLException {
        return new EventRecord(rs.getLong("id"), rs.getString("run_id"), rs.getString("job_key"),
                instant(rs, "occurred_at"), EventKind.valueOf(rs.getString("kind")),
                jobState(rs.getString("from_state")), jobState(rs.getString("to_state")), rs.getString("message"),
                rs.getString("details_json"));
    }

    private static JobState jobState(String name) {
        return name == null ? null : JobState.valueOf(name);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
