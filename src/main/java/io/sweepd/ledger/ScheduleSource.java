package io.sweepd.ledger;

/** Where a schedule was registered from, which decides what may replace or remove it. Stored by name. */
public enum ScheduleSource {
    /** A sweep with {@code sweep.schedule} dropped in the inbox (or submitted): a later drop replaces it. */
    INBOX,
    /** A file in the schedules folder: editing the file reloads it, deleting the file removes it. */
    FOLDER
}
