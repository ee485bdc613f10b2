package io.zkarrow.presto.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the zkarrow JNI library once per JVM (per plugin class loader: each gets its own extracted
 * copy, since one file cannot be loaded by two class loaders).
 *
 * <p>Normally the library comes from the plugin jar, resource {@code native/<platform>/<library
 * file>}, extracted to a private temporary file. The system property {@value #LIBRARY_PROPERTY}
 * names a library file to load instead (development and tests).
 */
public final class NativeLoader {
    public static final String LIBRARY_PROPERTY = "zkarrow.native.library";
    private static final String LIBRARY_NAME = "zkarrow_jni";

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
            library = extractFromResources();
        }
        try {
            System.load(library.toString());
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

    private static Path extractFromResources() {
        String resource = resourcePath();
        try (InputStream in = NativeLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ZkArrowNativeException(
                        "INTERNAL",
                        "The zkarrow plugin has no native library for this platform "
                                + describePlatform()
                                + ": resource "
                                + resource
                                + " is not in the plugin jar (build the plugin on this platform, or"
                                + " set -D"
                                + LIBRARY_PROPERTY
                                + "=<path to the library>)");
            }
            Path file =
                    Files.createTempFile("zkarrow-jni-", "-" + System.mapLibraryName(LIBRARY_NAME));
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new ZkArrowNativeException(
                    "INTERNAL",
                    "Cannot extract the zkarrow native library "
                            + resource
                            + " to a temporary file: "
                            + e,
                    e);
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
