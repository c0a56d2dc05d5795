package io.membercenter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Keeps the doors between capability packages shut. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.membercenter");

    @Test
    void capabilityModulesOnlyUseEachOthersPublicSurfaceAndHaveNoCycles() {
        ApplicationModules.of(MemberCenterApplication.class).verify();
    }

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("io.membercenter.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void storesKnowNothingOfHttp() {
        noClasses()
                .that()
                .resideInAPackage("io.membercenter.shard..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
                .check(CLASSES);
    }

    @Test
    void onlyTheLocalProfileTouchesTheLocalTopology() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.membercenter.local..", "io.membercenter.topology..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.membercenter.topology..")
                .check(CLASSES);
    }
}
