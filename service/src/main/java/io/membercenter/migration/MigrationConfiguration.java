package io.membercenter.migration;

import io.membercenter.governance.LegacyQuarantine;
import io.membercenter.member.MemberImport;
import io.membercenter.replication.ReplicationProgress;
import io.membercenter.replication.ReplicationProperties;
import io.membercenter.shard.ShardedDatabases;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The migration's parts, when a legacy store is configured; without one the controller says there is none. */
@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    PostgresLegacySource legacySource(MigrationProperties properties) {
        return new PostgresLegacySource(properties.legacyJdbcUrl());
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    LegacyWriter legacyWriter(PostgresLegacySource legacy) {
        return new LegacyWriter(legacy);
    }

    @Bean
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    MigrationLedger migrationLedger(ShardedDatabases databases, LegacyQuarantine anomalies) {
        return new MigrationLedger(databases, anomalies);
    }

    /** Started with the service: it reads the change stream only while the dual write is switched on. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    DualWrite dualWrite(
            PostgresLegacySource legacy,
            MemberImport members,
            MigrationLedger ledger,
            ReplicationProperties replication,
            Clock clock) {
        DualWrite dualWrite = new DualWrite(
                legacy,
                new LegacyMapping(members),
                members,
                ledger,
                replication.kafkaBootstrap(),
                replication.topic(),
                clock);
        if (replication.kafkaConfigured()) dualWrite.start();
        return dualWrite;
    }

    /** The member API's route for reads by id ({@code MemberReadRoute}): off until switched. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    GrayReads grayReads(PostgresLegacySource legacy, MemberImport members, MigrationLedger ledger, Clock clock) {
        return new GrayReads(legacy, new LegacyMapping(members), members, ledger, clock);
    }

    @Bean
    @ConditionalOnExpression("!'${member-center.migration.legacy-jdbc-url:}'.isBlank()")
    Migration migration(
            PostgresLegacySource legacy,
            LegacyWriter writer,
            MemberImport members,
            MigrationLedger ledger,
            DualWrite dualWrite,
            GrayReads grayReads,
            ReplicationProgress progress,
            ReplicationProperties replication,
            MigrationProperties properties,
            Clock clock,
            Environment environment) {
        checkAgainstDeadline(properties, Binder.get(environment));
        LegacyMapping mapping = new LegacyMapping(members);
        IncrementalSync incremental = new IncrementalSync(legacy, mapping, members, ledger, clock);
        return new Migration(
                legacy,
                ledger,
                new FullSync(legacy, mapping, members, ledger, properties, clock),
                incremental,
                new Verify(legacy, mapping, members, ledger, incremental, properties, clock),
                writer,
                dualWrite,
                grayReads,
                progress,
                replication.kafkaConfigured(),
                properties,
                clock);
    }

    /** A step runs inside the operator's request: it must end before that request's deadline. */
    private static void checkAgainstDeadline(MigrationProperties properties, Binder config) {
        Duration deadline = config.bind("member-center.degradation.request-deadline", Duration.class)
                .orElse(Duration.ofSeconds(5));
        if (properties.stepBudget().compareTo(deadline.minusSeconds(1)) > 0) {
            throw new IllegalStateException("member-center.migration.step-budget must be at least 1s below"
                    + " member-center.degradation.request-deadline");
        }
    }
}
