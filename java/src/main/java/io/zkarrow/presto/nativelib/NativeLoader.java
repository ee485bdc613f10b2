package io.zkarrow.presto.nativelib;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads the zkarrow JNI library once per JVM (per class loader of this class: a Presto server has
 * one per plugin directory).
 *
 * <p>Where from, first match wins:
 *
 * <ol>
 *   <li>the file named by the system property {@value #LIBRARY_PROPERTY} (development and tests);
 *   <li>the library file next to the jar this class comes from: {@code
 *       plugin/zkarrow/libzkarrow_jni.so}, as the plugin directory ships it. Nothing is written
 *       anywhere, so a {@code noexec} temporary directory does not matter;
 *   <li>the copy inside the jar, resource {@code native/<platform>/<library file>}, extracted into
 *       the directory of the system property {@value #DIRECTORY_PROPERTY} (default {@code
 *       java.io.tmpdir}) under a name made of its SHA-256 ({@code
 *       zkarrow-jni-<hash>-libzkarrow_jni.so}): written once, verified and reused by every later
 *       JVM, so a killed JVM leaves nothing new behind.
 * </ol>
 *
 * <p>One file cannot be loaded by two class loaders of one JVM. When the chosen file already is
 * (two class loaders over one plugin directory, e.g. in tests), a private copy {@code
 * zkarrow-jni-<hash>-pid<pid>-<n>-libzkarrow_jni.so} is loaded instead; it is deleted at exit, and
 * copies left by JVMs that no longer run are deleted at the next extraction, as are extracted
 * libraries of other builds unused for a day.
 */
public final class NativeLoader {
    public static final String LIBRARY_PROPERTY = "zkarrow.native.library";
    public static final String DIRECTORY_PROPERTY = "zkarrow.native.dir";
    private static final String LIBRARY_NAME = "zkarrow_jni";
    private static final String PREFIX = "zkarrow-jni-";

    private static boolean loaded;
    private static String loadedFrom;

    private NativeLoader() {}

    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String override = System.getProperty(LIBRARY_PROPERTY);
        Path library;
        if (override != null && !override.trim().isEmpty()) {
            library = Paths.get(override.trim()).toAbsolutePath();
            if (!Files.isRegularFile(library)) {
                throw new ZkArrowNativeException(
                        "INTERNAL",
                        "The zkarrow native library named by -D"
                                + LIBRARY_PROPERTY
                                + " does not exist: "
                                + library);
            }
        } else {
            library = besideJar();
            if (library == null) {
                library = extractFromResources();
            }
        }
        try {
            library = loadOrPrivateCopy(library);
        } catch (UnsatisfiedLinkError e) {
            throw new ZkArrowNativeException(
                    "INTERNAL",
                    "Cannot load the zkarrow native library "
                            + library
                            + " on "
                            + describePlatform()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        loaded = true;
        loadedFrom = library.toString();
    }

    /** Where the library was loaded from, or null before {@link #load()}. */
    public static synchronized String loadedFrom() {
        return loadedFrom;
    }

    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ENGLISH);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ENGLISH);
        String osPart =
                os.contains("mac") || os.contains("darwin")
                        ? "darwin"
                        : os.contains("win")
                                ? "windows"
                                : os.contains("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        String archPart;
        switch (arch) {
            case "amd64":
            case "x86_64":
                archPart = "x86_64";
                break;
            case "aarch64":
            case "arm64":
                archPart = "aarch64";
                break;
            default:
                archPart = arch.replaceAll("[^a-z0-9_]", "");
        }
        return osPart + "-" + archPart;
    }

    public static String resourcePath() {
        return "native/" + platform() + "/" + System.mapLibraryName(LIBRARY_NAME);
    }

    /** The library file in the directory of the jar holding this class, or null. */
    static Path besideJar() {
        try {
            CodeSource source = NativeLoader.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return null;
            }
            Path jar = Paths.get(location.toURI());
            // a classes directory (IDE, Gradle's test classpath) is no plugin directory
            if (!Files.isRegularFile(jar) || jar.getParent() == null) {
                return null;
            }
            Path library = jar.getParent().resolve(System.mapLibraryName(LIBRARY_NAME));
            return Files.isRegularFile(library) ? library.toAbsolutePath() : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The directory extracted copies go to: -Dzkarrow.native.dir, else java.io.tmpdir. */
    static Path extractionDirectory() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir == null || dir.trim().isEmpty()) {
            dir = System.getProperty("java.io.tmpdir");
        }
        return Paths.get(dir.trim()).toAbsolutePath();
    }

    private static Path loadOrPrivateCopy(Path library) {
        try {
            System.load(library.toString());
            return library;
        } catch (UnsatisfiedLinkError e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("another classloader")) {
                throw e;
            }
        }
        // this file is already loaded by another class loader of this JVM: load a private copy
        Path copy;
        try {
            byte[] bytes = Files.readAllBytes(library);
            Path dir = extractionDirectory();
            Files.createDirectories(dir);
            deleteStaleCopies(dir, null);
            copy =
                    Files.createTempFile(
                            dir,
                            PREFIX + sha256(bytes) + "-pid" + ProcessHandle.current().pid() + "-",
                            "-" + System.mapLibraryName(LIBRARY_NAME));
            copy.toFile().deleteOnExit();
            Files.write(copy, bytes);
        } catch (IOException e) {
            throw new ZkArrowNativeException(
                    "INTERNAL",
                    "The zkarrow native library "
                            + library
                            + " is loaded by another class loader of this JVM, and a private copy"
                            + " cannot be written into "
                            + extractionDirectory()
                            + " (set -D"
                            + DIRECTORY_PROPERTY
                            + "=<directory>): "
                            + e,
                    e);
        }
        System.load(copy.toString());
        return copy;
    }

    private static Path extractFromResources() {
        String resource = resourcePath();
        byte[] bytes;
        try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ZkArrowNativeException(
                        "INTERNAL",
                        "The zkarrow plugin has no native library for this platform "
                                + describePlatform()
                                + ": neither "
                                + System.mapLibraryName(LIBRARY_NAME)
                                + " next to the plugin jar nor resource "
                                + resource
                                + " in it (build the plugin on this platform, or set -D"
                                + LIBRARY_PROPERTY
                                + "=<path to the library>)");
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 24);
            in.transferTo(buffer);
            bytes = buffer.toByteArray();
        } catch (IOException e) {
            throw new ZkArrowNativeException(
                    "INTERNAL", "Cannot read the zkarrow native library " + resource + ": " + e, e);
        }
        Path dir = extractionDirectory();
        Path file = dir.resolve(PREFIX + sha256(bytes) + "-" + System.mapLibraryName(LIBRARY_NAME));
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
                // extracted by an earlier JVM: same content, reuse it (and mark it as in use)
                touch(file);
                deleteStaleCopies(dir, file);
                return file;
            }
            Files.createDirectories(dir);
            deleteStaleCopies(dir, file);
            // written under a private name, then renamed: a concurrent JVM never sees half a file
            Path temporary = Files.createTempFile(dir, PREFIX, ".partial");
            try {
                Files.write(temporary, bytes);
                try {
                    Files.move(
                            temporary,
                            file,
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            return file;
        } catch (IOException e) {
            throw new ZkArrowNativeException(
                    "INTERNAL",
                    "Cannot extract the zkarrow native library "
                            + resource
                            + " into "
                            + dir
                            + " (the plugin directory has no "
                            + System.mapLibraryName(LIBRARY_NAME)
                            + " next to its jar; set -D"
                            + DIRECTORY_PROPERTY
                            + "=<writable directory> to move the extraction): "
                            + e,
                    e);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(
                    file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            // another user's file: leave it
        }
    }

    /**
     * Deletes, best effort: private copies ({@code zkarrow-jni-<hash>-pid<pid>-...}) whose process
     * no longer runs; partial files older than an hour; extracted libraries of other builds (other
     * hashes) that no JVM has used for a day (each use touches the file; a JVM that has a deleted
     * file loaded keeps it until it exits).
     */
    private static void deleteStaleCopies(Path dir, Path current) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    if (name.endsWith(".partial")) {
                        long age =
                                System.currentTimeMillis()
                                        - Files.getLastModifiedTime(file).toMillis();
                        if (age > 3_600_000L) {
                            Files.deleteIfExists(file);
                        }
                        continue;
                    }
                    int at = name.indexOf("-pid");
                    if (at < 0) {
                        long age =
                                System.currentTimeMillis()
                                        - Files.getLastModifiedTime(file).toMillis();
                        if (name.endsWith(System.mapLibraryName(LIBRARY_NAME))
                                && !file.equals(current)
                                && age > 86_400_000L) {
                            Files.deleteIfExists(file);
                        }
                        continue;
                    }
                    int end = name.indexOf('-', at + 4);
                    if (end < 0) {
                        continue;
                    }
                    long pid = Long.parseLong(name.substring(at + 4, end));
                    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException | RuntimeException e) {
                    // another JVM's file or a name of another scheme: leave it
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describePlatform() {
        return platform()
                + " (os.name="
                + System.getProperty("os.name")
                + ", os.arch="
                + System.getProperty("os.arch")
                + ")";
    }
}
