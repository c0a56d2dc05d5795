package io.membercenter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Keeps the doors between capability packages shut: each package's public types are exactly its
 * doors below (also named in its {@code package-info.java} and the README), each package declares
 * the packages it may use ({@code @ApplicationModule(allowedDependencies = ...)}, verified by Spring
 * Modulith), and no code reaches another package through an inline fully-qualified name, which
 * would hide the dependency from the import block.
 */
class ArchitectureTest {

    /**
     * The public top-level types of each package of the service. A type added here is a door opened
     * on purpose: say why in the package's {@code package-info.java}. Nested types of a door follow
     * their door.
     */
    static final Map<String, Set<String>> DOORS = Map.ofEntries(
            Map.entry("", Set.of("MemberCenterApplication")),
            Map.entry(
                    "api",
                    Set.of(
                            "ApiException",
                            "BadRequestException",
                            "ConflictException",
                            "ForbiddenException",
                            "NotFoundException",
                            "PreconditionFailedException",
                            "RequestInProgressException",
                            "StoreUnavailableException",
                            "UnprocessableException",
                            "LimitExceededException",
                            "ProblemResponses")),
            Map.entry("cache", Set.of("MemberCache", "CacheProperties")),
            Map.entry("console", Set.of("StoreDirectory")),
            Map.entry("local", Set.of("LocalTopologyEnvironment")),
            Map.entry("member", Set.of("Member", "MemberBulkLoad", "MemberImport", "MemberReadRoute", "SearchRebuild")),
            Map.entry(
                    "replication",
                    Set.of("Outbox", "ReplicationProgress", "ReplicationProperties", "MemberChange", "IdentifierKey")),
            Map.entry("search", Set.of("MemberSearch", "SearchFilter")),
            Map.entry("shard", Set.of("ShardedDatabases", "ShardMap", "ShardProperties")),
            Map.entry("traffic", Set.of("Caller", "CallerDirectory", "Scope", "TrafficClass")),
            Map.entry("callers", Set.of()),
            Map.entry("rules", Set.of()),
            Map.entry("flow", Set.of("FlowControl", "FlowCheck")),
            Map.entry("sentinel", Set.of("SentinelScope")),
            Map.entry("governance", Set.of("AbuseFlags", "LegacyQuarantine", "MemberMerges")),
            Map.entry("failover", Set.of()),
            Map.entry("migration", Set.of()),
            Map.entry(
                    "degradation",
                    Set.of(
                            "Breakers",
                            "DependencyBreaker",
                            "DependencyUnavailableException",
                            "BreakerState",
                            "TrafficBulkhead",
                            "DegradationRules",
                            "RequestScopes")));

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

    @Test
    void onlyTheDoorsOfAPackageArePublic() {
        classes()
                .that()
                .areTopLevelClasses()
                .and()
                .arePublic()
                .and()
                .resideOutsideOfPackage("io.membercenter.topology..")
                .should(ArchConditions.be(door()))
                .because("a type without a user outside its package is package-private; a new door is added to"
                        + " ArchitectureTest.DOORS and named, with the reason, in its package-info.java")
                .check(CLASSES);
    }

    @Test
    void everyListedDoorExistsAndIsPublic() {
        List<String> missing = new ArrayList<>();
        DOORS.forEach((pkg, types) -> types.forEach(type -> {
            String name = "io.membercenter." + (pkg.isEmpty() ? "" : pkg + ".") + type;
            if (!CLASSES.contain(name) || !CLASSES.get(name).getModifiers().contains(JavaModifier.PUBLIC)) {
                missing.add(name);
            }
        }));
        assertThat(missing)
                .as("doors listed in DOORS that are not public types")
                .isEmpty();
    }

    @Test
    void everyCapabilityPackageDeclaresTheModulesItMayUse() throws ClassNotFoundException {
        for (String pkg : DOORS.keySet()) {
            if (pkg.isEmpty()) continue;
            ApplicationModule module =
                    Class.forName("io.membercenter." + pkg + ".package-info").getAnnotation(ApplicationModule.class);
            assertThat(module)
                    .as(pkg + "/package-info.java has @ApplicationModule")
                    .isNotNull();
            assertThat(module.allowedDependencies())
                    .as(pkg + " lists its allowed dependencies instead of leaving the module open")
                    .doesNotContain(ApplicationModule.OPEN_TOKEN);
        }
    }

    @Test
    void noCodeNamesAnotherTypeByAnInlineFullyQualifiedName() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                inlineQualifiedNames(Files.readString(file)).forEach(hit -> found.add(file + ":" + hit));
            }
        }
        assertThat(found)
                .as("inline fully-qualified io.membercenter names (import the type instead, so the"
                        + " dependency shows in the import block)")
                .isEmpty();
    }

    @Test
    void theInlineNameScanSeesCodeAndIgnoresImportsCommentsAndStrings() {
        String source = """
                package io.membercenter.member;

                import io.membercenter.search.MemberSearch;
                import static io.membercenter.api.ProblemResponses.write;

                /** Uses {@link io.membercenter.search.MemberSearch} and {@code io.membercenter.cache.MemberCache}. */
                class Sample {
                    // io.membercenter.console.AdminController in a line comment
                    String text = "io.membercenter.console.AdminController in a string";
                    io.membercenter.console.AdminController controller;
                    Object o = io.membercenter.search.SearchFilter.Position.class; /* io.membercenter.x.Y */
                }
                """;
        assertThat(inlineQualifiedNames(source))
                .containsExactly(
                        "10: io.membercenter.console.AdminController", "11: io.membercenter.search.SearchFilter");
    }

    private static final Pattern QUALIFIED_TYPE =
            Pattern.compile("\\bio\\.membercenter\\.(?:[a-z_][a-z0-9_]*\\.)*[A-Z]\\w*");

    /**
     * The {@code io.membercenter} type names written fully qualified in code ("line: name"): import and
     * package lines, comments (Javadoc {@code {@link}} included) and string literals are not code.
     */
    static List<String> inlineQualifiedNames(String source) {
        String code = withoutCommentsAndStrings(source);
        List<String> hits = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("import ") || line.startsWith("package ")) continue;
            Matcher m = QUALIFIED_TYPE.matcher(line);
            while (m.find()) hits.add((i + 1) + ": " + m.group());
        }
        return hits;
    }

    /** Blanks comments, string and char literals (text blocks too), keeping every line break. */
    private static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') i++;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? source.length() : end + 2;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? source.length() : end + 3;
                source.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = Math.min(j + 1, source.length());
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static DescribedPredicate<JavaClass> door() {
        return DescribedPredicate.describe("a door listed in ArchitectureTest.DOORS", type -> {
            String pkg = type.getPackageName().equals("io.membercenter")
                    ? ""
                    : type.getPackageName().substring("io.membercenter.".length());
            return DOORS.getOrDefault(pkg, Set.of()).contains(type.getSimpleName());
        });
    }
}
