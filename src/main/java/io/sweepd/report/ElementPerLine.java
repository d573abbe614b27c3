package io.sweepd.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;

/**
 * report.json's layout: indented as usual down to the lists, and each object in a list on one line of its own (a
 * point, a job, a matched baseline point). A 10,000-point report indented all the way down was a third whitespace
 * and took longer to write than the page; one line per point also suits grep, diff and {@code jq -c}.
 */
final class ElementPerLine extends DefaultPrettyPrinter {

    /** The nesting level of the list element being written on one line; 0 outside one. */
    private int inlineFrom;

    ElementPerLine() {
        Indentation indentation = new Indentation();
        _objectIndenter = indentation;
        _arrayIndenter = indentation;
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
        return new ElementPerLine();
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        // The generator has entered the new object already: its parent says whether it is an element of a list.
        if (inlineFrom == 0 && g.getOutputContext().getParent() != null && g.getOutputContext().getParent().inArray()) {
            inlineFrom = _nesting + 1;
        }
        super.writeStartObject(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        if (inline()) {
            g.writeRaw(':');
        } else {
            super.writeObjectFieldValueSeparator(g);
        }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        if (!inline()) {
            super.writeEndObject(g, entries);
            return;
        }
        if (_nesting-- == inlineFrom) {
            inlineFrom = 0;
        }
        g.writeRaw('}');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        if (!inline()) {
            super.writeEndArray(g, values);
            return;
        }
        _nesting--;
        g.writeRaw(']');
    }

    private boolean inline() {
        return inlineFrom != 0;
    }

    /** A new line and two spaces a level, except inside an element written on one line. */
    private final class Indentation extends DefaultIndenter {
        @Override
        public void writeIndentation(JsonGenerator g, int level) throws IOException {
            if (!inline()) {
                super.writeIndentation(g, level);
            }
        }
    }
}
