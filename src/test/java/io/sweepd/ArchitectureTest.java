package io.sweepd;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph reads top-down: cli, then app (the Camel wiring), then the pipeline stages and domain
 * packages, then core (the shared vocabulary: job and point states, the job-directory contract), then the
 * infrastructure (exec, json, yaml, files). Production classes only; tests may reach across.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sweepd");

    /**
     * The bottom layer. The Slurm client is here: it speaks Slurm's own vocabulary ({@code slurm.SlurmState}) and
     * what sweepd makes of it is decided above it, so it never needs sweepd's job states.
     */
    private static final String[] INFRASTRUCTURE = {
            "io.sweepd.exec..", "io.sweepd.json..", "io.sweepd.yaml..", "io.sweepd.files..", "io.sweepd.slurm.."};

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.sweepd.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void coreDependsOnNothingElseInSweepd() {
        noClasses().that().resideInAPackage("io.sweepd.core..")
                .should().dependOnClassesThat(resideInAPackage("io.sweepd..")
                        .and(resideOutsideOfPackage("io.sweepd.core..")))
                .check(PRODUCTION);
    }

    @Test
    void infrastructureDependsOnlyOnInfrastructure() {
        noClasses().that().resideInAnyPackage(INFRASTRUCTURE)
                .should().dependOnClassesThat(resideInAPackage("io.sweepd..")
                        .and(not(resideInAnyPackage(INFRASTRUCTURE))))
                .check(PRODUCTION);
    }

    @Test
    void onlyTheCommandLineDependsOnTheWiring() {
        noClasses().that().resideOutsideOfPackages("io.sweepd.app..", "io.sweepd.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sweepd.app..", "io.sweepd.cli..")
                .check(PRODUCTION);
        noClasses().that().resideInAPackage("io.sweepd.app..")
                .should().dependOnClassesThat().resideInAPackage("io.sweepd.cli..")
                .check(PRODUCTION);
    }

    @Test
    void camelStaysInTheWiringAndTheExecLauncher() {
        // exec.CamelExecLauncher is the one place external commands run (through camel-exec), by design.
        noClasses().that().resideOutsideOfPackages("io.sweepd.app..", "io.sweepd.exec..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .check(PRODUCTION);
    }
}
