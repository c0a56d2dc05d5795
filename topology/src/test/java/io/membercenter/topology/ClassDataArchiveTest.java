package io.membercenter.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path temp;

    @Test
    void aChildWritesTheArchiveUntilOneIsPublishedAndMapsItAfterwards() throws IOException {
        Path storeDir = Files.createDirectories(temp.resolve("kafka"));
        ClassDataArchive archive = ClassDataArchive.in(temp.resolve("cds"), classpath("a.jar", "b.jar"), true);

        assertThat(archive.jvmFlags(storeDir)).contains("-XX:ArchiveClassesAtExit=" + storeDir.resolve("classes.jsa"));
        Files.writeString(storeDir.resolve("classes.jsa"), "first dump");
        archive.publish(storeDir);

        assertThat(archive.published()).hasContent("first dump");
        assertThat(storeDir.resolve("classes.jsa")).doesNotExist();
        assertThat(archive.jvmFlags(storeDir)).contains("-XX:SharedArchiveFile=" + archive.published());
    }

    @Test
    void aPublishedArchiveIsNeverReplaced() throws IOException {
        Path storeDir = Files.createDirectories(temp.resolve("search-b"));
        ClassDataArchive archive = ClassDataArchive.in(temp.resolve("cds"), classpath("a.jar"), true);
        Files.createDirectories(archive.published().getParent());
        Files.writeString(archive.published(), "published by search-a");
        Files.writeString(storeDir.resolve("classes.jsa"), "late dump of search-b");

        archive.publish(storeDir);

        assertThat(archive.published()).hasContent("published by search-a");
        assertThat(storeDir.resolve("classes.jsa")).doesNotExist();
    }

    @Test
    void aChangedJarGetsAnArchiveOfItsOwn() throws IOException {
        ChildClasspath classpath = classpath("a.jar", "b.jar");
        Path before = ClassDataArchive.in(temp, classpath, true).published();

        Files.setLastModifiedTime(classpath.jars().get(1), FileTime.fromMillis(0));

        assertThat(ClassDataArchive.in(temp, classpath, true).published()).isNotEqualTo(before);
        assertThat(ClassDataArchive.in(temp, classpath("a.jar", "b.jar"), true)
                        .published()
                        .getFileName()
                        .toString())
                .startsWith("test-")
                .endsWith(".jsa");
    }

    @Test
    void switchedOffItAddsNoFlags() throws IOException {
        ClassDataArchive archive = ClassDataArchive.in(temp, classpath("a.jar"), false);

        assertThat(archive.jvmFlags(temp)).isEmpty();
    }

    private ChildClasspath classpath(String... jars) throws IOException {
        Path lib = Files.createDirectories(temp.resolve("lib"));
        for (String jar : jars) {
            if (!Files.exists(lib.resolve(jar))) {
                Files.writeString(lib.resolve(jar), jar);
            }
        }
        return new ChildClasspath(
                "test", List.of(jars).stream().map(lib::resolve).toList());
    }
}
