package io.sweepd;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package graph reads top-down and has no cycles (issue 10). */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sweepd");

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.sweepd.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }
}
