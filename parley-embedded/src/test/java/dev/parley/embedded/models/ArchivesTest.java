package dev.parley.embedded.models;

import static dev.parley.embedded.models.TestArchives.TarEntry.dir;
import static dev.parley.embedded.models.TestArchives.TarEntry.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.embedded.models.TestArchives.Style;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchivesTest {

    private static final String LONG = "package/" + "deeply/nested/directory/".repeat(6) + "file-with-a-long-name.txt";

    @TempDir
    Path temp;

    @Test
    void tarReaderHandlesUstarPrefixGnuLongNamesAndPax() throws IOException {
        byte[] tar = TestArchives.tar(
                dir("package/"),
                file(LONG, "ustar", Style.USTAR),
                file(LONG + ".gnu", "gnu long name", Style.GNU_LONG_NAME),
                file(LONG + ".pax", "pax path ünïcode", Style.PAX),
                file("package/empty", "", Style.USTAR),
                file("package/big", new byte[1025], Style.USTAR));
        assertThat(LONG.length()).isGreaterThan(100);

        List<String> seen = new ArrayList<>();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        for (TarReader.Entry e; (e = reader.next()) != null; ) {
            String content = e.isFile() ? new String(reader.content().readAllBytes(), StandardCharsets.UTF_8) : "";
            seen.add(e.name() + (e.isDirectory() ? " (dir)" : " = " + content.length()));
        }

        assertThat(seen).containsExactly(
                "package/ (dir)",
                LONG + " = 5",
                LONG + ".gnu = 13",
                LONG + ".pax = 16",
                "package/empty = 0",
                "package/big = 1025");
    }

    @Test
    void tarReaderSkipsUnreadContent() throws IOException {
        byte[] tar = TestArchives.tar(file("a", new byte[3000], Style.USTAR), file("b", "bee", Style.PAX));
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        assertThat(reader.next().name()).isEqualTo("a");
        TarReader.Entry b = reader.next();
        assertThat(b.name()).isEqualTo("b");
        assertThat(reader.content().readAllBytes()).asString().isEqualTo("bee");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @Test
    void tarReaderRejectsCorruptHeaderAndTruncation() {
        byte[] tar = TestArchives.tar(file("a", new byte[3000], Style.USTAR));
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1;
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(corrupt)).next())
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("checksum");

        byte[] truncated = Arrays.copyOf(tar, 1500);
        assertThatThrownBy(() -> {
            TarReader reader = new TarReader(new ByteArrayInputStream(truncated));
            reader.next();
            reader.content().readAllBytes();
        }).isInstanceOf(ArchiveException.class).hasMessageContaining("truncated");
    }

    @Test
    void extractsFileFromTarGz() throws IOException {
        Path archive = write("a.tgz", TestArchives.tgz(
                file(LONG, "long", Style.GNU_LONG_NAME), file("package/dist/model.onnx", "onnx", Style.PAX)));

        Path out = Archives.extract(archive, Source.Format.TAR_GZ, new Extract.File("package/dist/model.onnx"),
                Files.createDirectory(temp.resolve("out")));

        assertThat(out).isEqualTo(temp.resolve("out/model.onnx")).hasContent("onnx");
        assertThat(temp.resolve("out")).isDirectoryContaining(p -> true);
        try (var files = Files.list(temp.resolve("out"))) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void extractsDirectoryFromTarGzWithLongNames() throws IOException {
        Path archive = write("a.tgz", TestArchives.tgz(
                file(LONG, "ustar", Style.USTAR), file(LONG + ".pax", "pax", Style.PAX), file("other", "x", Style.USTAR)));

        Path out = Archives.extract(archive, Source.Format.TAR_GZ, new Extract.Directory("package/deeply"),
                Files.createDirectory(temp.resolve("out")));

        String rel = LONG.substring("package/deeply/".length());
        assertThat(out.resolve(rel)).hasContent("ustar");
        assertThat(out.resolve(rel + ".pax")).hasContent("pax");
        assertThat(temp.resolve("out/other")).doesNotExist();
    }

    @Test
    void rejectsZipSlipInTar() throws IOException {
        Path archive = write("a.tgz", TestArchives.tgz(
                file("package/ok", "ok", Style.USTAR), file("package/../../escape", "x", Style.PAX)));

        assertThatThrownBy(() -> Archives.extract(archive, Source.Format.TAR_GZ, new Extract.Directory("package/"),
                Files.createDirectory(temp.resolve("out"))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("unsafe entry");
        assertThat(temp.resolve("escape")).doesNotExist();
    }

    @Test
    void reportsMissingContentAndNonArchives() throws IOException {
        Path zip = write("a.zip", TestArchives.zip(Map.of("x/y", TestArchives.utf8("y"))));
        assertThatThrownBy(() -> Archives.extract(zip, Source.Format.ZIP, new Extract.Directory("assets/model/"),
                Files.createDirectory(temp.resolve("out1"))))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("no files under assets/model/");

        Path garbage = write("g.bin", "this is not an archive".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Archives.extract(garbage, Source.Format.ZIP, new Extract.File("a"),
                Files.createDirectory(temp.resolve("out2")))).isInstanceOf(ArchiveException.class);
        assertThatThrownBy(() -> Archives.extract(garbage, Source.Format.TAR_GZ, new Extract.File("a"),
                Files.createDirectory(temp.resolve("out3")))).isInstanceOf(ArchiveException.class);
    }

    @Test
    void normalizesEntryNames() throws ArchiveException {
        assertThat(Archives.normalize("./a/b/../c/")).isEqualTo("a/c");
        assertThat(Archives.normalize("a//b/./c")).isEqualTo("a/b/c");
        assertThat(Archives.normalize("a\\b")).isEqualTo("a/b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/etc/passwd", "C:/windows", "..\\x", "a/b/../../../x"})
    void rejectsEscapingEntryNames(String name) {
        assertThatThrownBy(() -> Archives.normalize(name)).isInstanceOf(ArchiveException.class);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(temp.resolve(name), bytes);
    }
}
