package io.sweepd.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson mappers every JSON and YAML file sweepd reads or writes goes through. A configured mapper is
 * thread-safe, so they are built once, here, and shared; a file written by two classes is written the same way.
 * (Sweeps, profiles, model facts and workaround rules are bound by the strict reader in {@code io.sweepd.yaml}.)
 */
public final class Json {

    /**
     * Reads and writes compact JSON. Reading accepts NaN and Infinity, because Python's json module writes them
     * (sa-bench, {@code vllm bench serve}, aiperf and lm-eval statistics of an empty sample); elsewhere it costs
     * nothing. Numbers are read by Jackson's fast parser: the same doubles (both round correctly), without the
     * big-integer arithmetic of the JDK's parser that made reading a 10,000-point report's metrics allocate
     * ~170 MB. Writing keeps fields and map entries in the order they were built; {@code java.time} values are
     * ISO-8601 text.
     */
    public static final JsonMapper MAPPER = base().build();

    /** {@link #MAPPER}, indented: the JSON files and outputs people read (plan.json, triage.json, slurm.json...). */
    public static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

    /**
     * {@link #MAPPER} with map entries written in key order, where the same content must give the same text
     * whatever order its maps were built in: the job key's hash, the ledger's event details, report.json's
     * metrics. (JSON trees keep their own order: only {@code Map}s are sorted.)
     */
    public static final JsonMapper SORTED = base().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /**
     * YAML: recipes read as srt-slurm reads them (a repeated key keeps its last value); recipe.yaml, srtslurm.yaml
     * and TensorRT-LLM's options file written without the {@code ---} document start line.
     */
    public static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private Json() {
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                // The shortest digits that read back as the same double, as Java 19+ writes them; Java 17's own
                // algorithm took a tenth of a 10,000-point report's writing.
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
