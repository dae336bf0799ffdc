package dev.parley.embedded.models;

import java.util.Objects;

/** What to take out of a model archive and install. */
public sealed interface Extract permits Extract.File, Extract.Directory {

    /**
     * A single file, installed as {@code <cache>/<id><extension>}.
     *
     * @param entryPath the entry's path inside the archive, e.g. {@code package/dist/silero_vad_v5.onnx}
     */
    record File(String entryPath) implements Extract {
        public File {
            Objects.requireNonNull(entryPath, "entryPath");
            if (entryPath.isBlank() || entryPath.endsWith("/")) {
                throw new IllegalArgumentException("not a file entry: " + entryPath);
            }
        }

        /** The entry's file name, e.g. {@code silero_vad_v5.onnx}. */
        public String fileName() {
            return entryPath.substring(entryPath.lastIndexOf('/') + 1);
        }

        /** The file name's extension including the dot, or an empty string. */
        public String extension() {
            String name = fileName();
            int dot = name.lastIndexOf('.');
            return dot > 0 ? name.substring(dot) : "";
        }
    }

    /**
     * Everything below a directory of the archive, installed as the directory {@code <cache>/<id>/}.
     *
     * @param prefix the directory's path inside the archive, e.g. {@code assets/model-en-us/}
     */
    record Directory(String prefix) implements Extract {
        public Directory {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("empty directory prefix");
            }
        }
    }
}
