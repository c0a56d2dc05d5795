package io.membercenter.bench.naive;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.membercenter.bench.population.SeedMember;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.function.RouterFunction;

/**
 * The naive member service: the baseline "what a team would write first" of the benchmark suite. The same HTTP
 * API as the real service for its core calls (create, get by id, get by mobile, patch of nickname/level/status,
 * batch-get, bearer keys), on the same stack (Spring Boot MVC on Tomcat with virtual threads, Jackson,
 * JdbcTemplate over HikariCP), but on ONE MariaDB database and one table, {@code naive_member}: no cache, no
 * sharding, no search, no outbox, no idempotency records, no scopes, no flow control. A create is one INSERT, a
 * read one SELECT, a patch one UPDATE and one SELECT. Benchmarks put it beside the real service, over the same
 * population ({@link #load}) on the same MariaDB servers, so that what the real service's machinery costs and
 * buys is measured against the obvious design rather than against nothing.
 *
 * <p>It runs in the benchmark's JVM next to the real service, whose {@code @SpringBootApplication} in package
 * {@code io.membercenter} component-scans everything below it, this package too whenever the bench jar is on the
 * classpath. So no class here carries {@code @Component}, {@code @Configuration}, {@code @RestController} or any
 * other stereotype (a scanned one would put naive beans, routes or a second DataSource into the real service):
 * the primary source, {@code NaiveApplication}, is annotated with {@code @EnableAutoConfiguration} only, the
 * beans are registered functionally by an {@link ApplicationContextInitializer}, and the endpoints are a WebMvc.fn
 * {@link RouterFunction}. Likewise nothing leaks into the JVM the other way: the settings are this application's
 * command-line arguments, never system properties; it reads no application.yml (the service's would otherwise
 * apply); it runs only the web, Jackson and Tomcat auto-configurations (no actuator, metrics or observation,
 * which would share Micrometer's global registry and Logback with the real service); and it leaves the logging
 * system to whoever set it up (Boot's logging listener sets system properties and, on close, would undo the JUL
 * bridge under the real service); and the few system properties that embedded Tomcat and SpringApplication
 * set while starting are put back as they were. The service's LocalTopologyEnvironment only acts under profile
 * {@code local}; it is switched off here all the same.
 */
public final class NaiveMemberService implements AutoCloseable {

    /**
     * The only auto-configurations that run; every other one on the classpath (actuator, metrics, observation,
     * health, task executors, and whatever a later dependency brings, e.g. Flyway, Kafka or Redis) is excluded.
     */
    static final Set<String> AUTO_CONFIGURATIONS = Set.of(
            "org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration",
            "org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration",
            "org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration",
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration",
            "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
            "org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration");

    /**
     * System properties that starting a Spring Boot application with embedded Tomcat sets: Tomcat points
     * {@code catalina.base} and {@code catalina.home} at its own temporary folder (read only while it initialises)
     * and SpringApplication sets {@code java.awt.headless}. They are put back as they were once this service is
     * up, so the real service, before or after, finds its own values.
     */
    private static final List<String> JVM_WIDE_PROPERTIES =
            List.of("catalina.base", "catalina.home", "catalina.useNaming", "java.awt.headless");

    private final ConfigurableApplicationContext context;
    private final NaiveMemberTable table;

    private NaiveMemberService(ConfigurableApplicationContext context, NaiveMemberTable table) {
        this.context = context;
        this.table = table;
    }

    /**
     * Creates {@code naive_member} in the database of {@code jdbcUrl} if it is missing and starts the service on a
     * free port; returns when it answers.
     *
     * <p>Sharing a member database with the real service ({@code member_0}, as the JDBC baseline does),
     * start the real service first: its Flyway refuses to migrate a database that already holds a table but no
     * schema history, so a naive_member created in a fresh topology would stop the real service from starting.
     *
     * @param poolSize connections of the HikariCP pool (its minimum idle too)
     * @param apiKeys  the keys accepted as {@code Authorization: Bearer <key>}; each grants every call
     */
    public static NaiveMemberService start(
            String jdbcUrl, String user, String password, int poolSize, Set<String> apiKeys) {
        return start(jdbcUrl, user, password, poolSize, apiKeys, 0);
    }

    /** {@link #start(String, String, String, int, Set)} on {@code port} (0: a free one). */
    public static NaiveMemberService start(
            String jdbcUrl, String user, String password, int poolSize, Set<String> apiKeys, int port) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        Set<String> keys = Set.copyOf(apiKeys);
        if (keys.isEmpty()) throw new IllegalArgumentException("Give at least one API key");

        HikariDataSource dataSource = pool(jdbcUrl, user, password, poolSize);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            NaiveMemberTable table = new NaiveMemberTable(jdbc);
            table.createIfMissing();
            SpringApplicationBuilder builder = new SpringApplicationBuilder(NaiveApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .initializers(new Beans(dataSource, jdbc, table, keys));
            leaveLoggingAlone(builder.application());
            Map<String, String> jvmWide = jvmWideProperties();
            try {
                return new NaiveMemberService(builder.run(arguments(port)), table);
            } finally {
                restore(jvmWide);
            }
        } catch (RuntimeException | Error e) {
            dataSource.close();
            throw e;
        }
    }

    /** The port the service listens on (chosen free at start). */
    public int port() {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    /**
     * Writes members of the benchmark population as they are, version 1, with multi-row INSERT IGNOREs of up to
     * 1,000 rows: a member already in the table is left untouched, so loading twice is harmless. Safe to call
     * from several threads at once (each call uses one pooled connection per statement).
     */
    public void load(List<SeedMember> members) {
        table.insertIgnore(members);
    }

    /** Stops the web server and closes the pool; the table and its rows stay. */
    @Override
    public void close() {
        context.close(); // the DataSource is a bean of the context: closed with it
    }

    /** As command-line arguments: they outrank system properties and environment variables, and stay private to this application. */
    private static String[] arguments(int port) {
        return new String[] {
            "--spring.config.name=naive-member-service", // no such file: neither the service's application.yml nor
            // anyone else's
            "--spring.application.name=naive-member-service",
            "--spring.main.banner-mode=off",
            "--spring.threads.virtual.enabled=true",
            "--spring.jmx.enabled=false",
            "--server.port=" + port,
            "--member-center.local-topology.enabled=false",
            "--spring.autoconfigure.exclude=" + String.join(",", excludedAutoConfigurations()),
        };
    }

    /** Every auto-configuration the classpath offers but {@link #AUTO_CONFIGURATIONS}. */
    static List<String> excludedAutoConfigurations() {
        return ImportCandidates.load(AutoConfiguration.class, NaiveMemberService.class.getClassLoader())
                .getCandidates()
                .stream()
                .filter(name -> !AUTO_CONFIGURATIONS.contains(name))
                .distinct()
                .toList();
    }

    /** What {@link #JVM_WIDE_PROPERTIES} were before the start; a null value for an unset property. */
    private static Map<String, String> jvmWideProperties() {
        Map<String, String> values = new HashMap<>();
        JVM_WIDE_PROPERTIES.forEach(name -> values.put(name, System.getProperty(name)));
        return values;
    }

    private static void restore(Map<String, String> values) {
        values.forEach((name, value) -> {
            if (value == null) System.clearProperty(name);
            else System.setProperty(name, value);
        });
    }

    private static void leaveLoggingAlone(SpringApplication application) {
        application.setListeners(application.getListeners().stream()
                .filter(listener -> !(listener instanceof LoggingApplicationListener))
                .collect(Collectors.toList()));
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("naive-member");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        return new HikariDataSource(config);
    }

    /** The service's beans, registered functionally: nothing for a component scan to find. */
    private record Beans(HikariDataSource dataSource, JdbcTemplate jdbc, NaiveMemberTable table, Set<String> apiKeys)
            implements ApplicationContextInitializer<GenericApplicationContext> {

        @Override
        public void initialize(GenericApplicationContext context) {
            context.registerBean(
                    "naiveDataSource",
                    DataSource.class,
                    () -> dataSource,
                    definition -> definition.setDestroyMethodName("close"));
            context.registerBean("naiveJdbcTemplate", JdbcTemplate.class, () -> jdbc);
            context.registerBean("naiveMemberTable", NaiveMemberTable.class, () -> table);
            context.registerBean(
                    "naiveMemberRoutes", RouterFunction.class, () -> NaiveMemberRoutes.routes(table, apiKeys));
        }
    }
}
