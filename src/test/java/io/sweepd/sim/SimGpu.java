package io.sweepd.sim;

import java.util.Locale;
import java.util.Map;

/**
 * The simulated GPU: its name and usable memory come from the job (the profile's hardware in plan.json, or
 * {@code SWEEPD_SIM_GPU} / {@code SWEEPD_SIM_GPU_MEMORY_GIB}); bandwidth and compute from this table, public
 * datasheet figures rounded (HBM TB/s, dense FP8 TFLOPS). They only shape the load model; nothing is measured.
 *
 * @param usableGib memory PyTorch reports as the card's total capacity (79.19 GiB on an H100 80GB)
 */
public record SimGpu(String name, String architecture, double usableGib, double bandwidthTBps, double fp8Tflops) {

    private record Spec(String architecture, double usableGib, double bandwidthTBps, double fp8Tflops) {
    }

    private static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("h100", new Spec("hopper", 79.19, 3.35, 990)),
            Map.entry("h200", new Spec("hopper", 139.80, 4.8, 990)),
            Map.entry("b200", new Spec("blackwell", 178.35, 8.0, 2250)),
            Map.entry("gb200", new Spec("blackwell", 184.31, 8.0, 2500)),
            Map.entry("b300", new Spec("blackwell", 268.00, 8.0, 3375)),
            Map.entry("gb300", new Spec("blackwell", 277.00, 8.0, 3500)),
            Map.entry("mi300x", new Spec("cdna3", 191.50, 5.3, 1300)),
            Map.entry("mi325x", new Spec("cdna3", 255.98, 6.0, 1300)),
            Map.entry("mi355x", new Spec("cdna4", 287.98, 8.0, 2500)));

    private static final Spec UNKNOWN = new Spec("unknown", 79.19, 3.35, 990);

    /**
     * @param architecture null to take the table's
     * @param usableGib    null or not positive to take the table's
     */
    public static SimGpu of(String name, String architecture, Double usableGib) {
        String key = name == null ? "h100" : name.strip().toLowerCase(Locale.ROOT);
        Spec spec = SPECS.getOrDefault(key, UNKNOWN);
        String arch = architecture != null && !architecture.isBlank() ? architecture.toLowerCase(Locale.ROOT)
                : spec.architecture();
        double usable = usableGib != null && usableGib > 0 ? usableGib : spec.usableGib();
        return new SimGpu(key, arch, usable, spec.bandwidthTBps(), spec.fp8Tflops());
    }

    public boolean hopper() {
        return architecture.equals("hopper") || name.equals("h100") || name.equals("h200");
    }

    /** An 80 GB-class card, where DSV4's indexer runs out of memory at 0.95 (seed case 5). */
    public boolean eightyGbClass() {
        return usableGib < 100;
    }
}
