package io.sweepd.app;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

import java.io.File;

/**
 * sweep-intake's file filter: the file consumer takes an inbox entry only when {@link Inbox#ready} says it is a
 * whole sweep file, and never opens one the inbox refused (a link, fifo, another user's file), which
 * {@code ready} has moved to {@code .error/} with its message by then.
 */
public final class InboxGate implements GenericFileFilter<File> {

    private final Inbox inbox;

    public InboxGate(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        return !file.isDirectory() && inbox.ready(file.getFile().toPath());
    }
}
