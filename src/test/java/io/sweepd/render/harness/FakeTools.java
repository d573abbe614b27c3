package io.sweepd.render.harness;

import io.sweepd.render.Shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the tools a single-node job runs (vllm, aiperf, lm_eval, srun, enroot, unsquashfs, apptainer), put
 * first on PATH. Each appends its argv to {@code calls/<tool>} (one call per line, words separated by tabs) and does
 * just enough of its job for the harness to go on: {@code vllm serve} answers /health from a local HTTP server on
 * its --port, {@code vllm bench serve}, {@code aiperf} and {@code lm_eval} write result files where they are told,
 * the container tools run the command after their options on this host.
 */
record FakeTools(Path bin, Path calls) {

    static FakeTools in(Path dir) throws IOException {
        FakeTools tools = new FakeTools(dir.resolve("bin"), dir.resolve("calls"));
        Files.createDirectories(tools.bin);
        Files.createDirectories(tools.calls);
        tools.write("vllm", """
                if [[ $1 == serve ]]; then
                    [[ -z ${FAKE_SERVER_EXIT:-} ]] || { echo "fake vllm: CUDA out of memory" >&2; exit "$FAKE_SERVER_EXIT"; }
                    [[ -z ${FAKE_SERVER_HANGS:-} ]] || exec sleep 600
                    while [[ $# -gt 0 && $1 != --port ]]; do shift; done
                    docroot=$(mktemp -d); echo ok > "$docroot/health"
                    echo "fake vllm: serving on port $2"
                    exec python3 -m http.server "$2" --bind 127.0.0.1 --directory "$docroot"
                fi
                while [[ $# -gt 0 ]]; do
                    case $1 in
                        --result-dir) dir=$2; shift ;;
                        --result-filename) file=$2; shift ;;
                        --max-concurrency) conc=$2; shift ;;
                    esac
                    shift
                done
                [[ -z ${FAKE_BENCH_FAILS_AT:-} || $conc != "$FAKE_BENCH_FAILS_AT" ]] || { echo "fake bench: failed"; exit 4; }
                printf '{"max_concurrency": %s, "completed": 1}\\n' "$conc" > "$dir/$file"
                """);
        tools.write("lm_eval", """
                while [[ $# -gt 0 ]]; do [[ $1 == --output_path ]] && out=$2; shift; done
                mkdir -p "$out/model"
                echo '{"results": {"gsm8k": {"exact_match,strict-match": 0.9}}}' > "$out/model/results_2025.json"
                """);
        // aiperf writes a directory of artifacts: the summary sweepd reads, and others it leaves alone.
        tools.write("aiperf", """
                while [[ $# -gt 0 ]]; do
                    case $1 in
                        --output-artifact-dir) dir=$2; shift ;;
                        --concurrency) conc=$2; shift ;;
                    esac
                    shift
                done
                mkdir -p "$dir"
                summary='{"request_count": {"unit": "requests", "avg": 10.0},'
                summary+=' "total_isl": {"unit": "tokens", "avg": 50000.0}, "total_osl": {"unit": "tokens", "avg": 2000.0},'
                summary+=' "benchmark_duration": {"unit": "sec", "avg": 20.0},'
                summary+=' "input_config": {"loadgen": {"concurrency": CONC}}}'
                echo "${summary/CONC/$conc}" > "$dir/profile_export_aiperf.json"
                echo '{"metrics": {}}' > "$dir/server_metrics_export.json"
                """);
        tools.write("srun", """
                while [[ $1 == --* ]]; do shift; done
                exec "$@"
                """);
        tools.write("enroot", """
                [[ $1 == import && $2 == -o ]] && echo squash > "$3"
                """);
        tools.write("unsquashfs", """
                [[ $(cat "${@: -1}" 2>/dev/null) == squash ]]
                """);
        tools.write("apptainer", """
                case $1 in
                    inspect) [[ $(cat "$2" 2>/dev/null) == sif ]] ;;
                    pull) echo sif > "$2" ;;
                    exec) shift; while [[ $1 == --* ]]; do case $1 in --bind|--pwd) shift ;; esac; shift; done
                          shift; exec "$@" ;;
                esac
                """);
        return tools;
    }

    /** The PATH a script runs with: the fakes first. */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Every call of {@code tool}, each as its argv. */
    List<List<String>> callsOf(String tool) throws IOException {
        Path log = calls.resolve(tool);
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(line -> Arrays.asList(line.split("\t", -1))).toList();
    }

    private void write(String tool, String body) throws IOException {
        Path file = bin.resolve(tool);
        Files.writeString(file, "#!/bin/bash\n"
                + "(IFS=$'\\t'; printf '%s\\n' \"$*\") >> " + Shell.quote(calls.resolve(tool).toString()) + "\n"
                + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
