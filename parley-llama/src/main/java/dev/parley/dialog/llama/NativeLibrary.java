package dev.parley.dialog.llama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code de.kherud:llama} unpacks its native library. By default it copies {@code libjllama.so} to the shared
 * temporary directory under a fixed name, replacing whatever is there: two processes starting at once can load each
 * other's half-written copy, and on a shared machine another user's file sits at that path. So, unless the user set
 * {@value #PROPERTY} already, each process gets a private directory (readable by its user only, removed at exit).
 */
final class NativeLibrary {

    static final String PROPERTY = "de.kherud.llama.tmpdir";

    private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);

    private NativeLibrary() {
    }

    /** Call before the library's classes load its native code (before the first {@code LlamaModel}). */
    static synchronized void prepare() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("parley-llama-");
            dir.toFile().deleteOnExit(); // registered before the library file, so removed after it
            System.setProperty(PROPERTY, dir.toString());
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Could not make a private directory for the llama.cpp library ({}); it goes to the shared"
                    + " temporary directory", e.toString());
        }
    }
}
