/**
 * The contract with NVIDIA srt-slurm's {@code srtctl}, which runs multinode and disaggregated jobs: the recipe and
 * {@code srtslurm.yaml} sweepd writes into the job directory ({@link SrtctlRecipe}, {@link SrtslurmYaml}), the
 * fields srtctl's schema accepts ({@link SrtctlSchema}), how the job runs srtctl ({@link SrtctlLaunch}) and where
 * srtctl leaves results ({@link SrtctlOutput}). Plain Java; what srtctl does is cited from srt-slurm's
 * {@code src/srtctl/core/schema.py}, {@code core/config.py}, {@code core/runtime.py} and
 * {@code templates/job_script_minimal.j2}.
 */
package io.sweepd.srtslurm;
