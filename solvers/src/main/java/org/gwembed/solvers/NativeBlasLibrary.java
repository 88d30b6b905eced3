package org.gwembed.solvers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the shared library that {@code dev.ludovic.netlib}'s JNI BLAS and LAPACK call, before either is loaded.
 *
 * <p>Without help, netlib opens the system's {@code libblas.so.3}: fast only where the user installed OpenBLAS
 * (absent on a fresh machine, or the slow reference BLAS), and 3× slower pure Java otherwise (a 3-iteration rolls run:
 * 13.7 s pure Java against 4.4 s native). So gwembed ships OpenBLAS in its jar ({@code org.bytedeco:openblas},
 * linux-x86_64, BSD-3; its libgfortran and libquadmath under the GCC runtime library exception), extracts it once
 * into a per-user cache directory and points netlib at it. Which library is used is chosen by the system property
 * {@code gwembed.blas} or else the environment variable {@code GWEMBED_BLAS}:
 * <ul>
 *   <li>{@code auto} (default): the system's {@code libblas.so.3} when it is an optimised BLAS (its real path names
 *       OpenBLAS, MKL, BLIS or ATLAS: what the user installed is kept), else the shipped OpenBLAS;</li>
 *   <li>{@code bundled}: the shipped OpenBLAS; where it is missing (another platform) or cannot be extracted or
 *       loaded, netlib's own choice;</li>
 *   <li>{@code system}: netlib's own choice (the system's {@code libblas.so.3}, pure Java without one);</li>
 *   <li>{@code java}: the pure-Java BLAS and LAPACK.</li>
 * </ul>
 * <p>The shipped build's own worker threads compete with gwembed's loops: with its default thread count a 3-iteration
 * rolls solve took 12 s against 4 s with {@code OPENBLAS_NUM_THREADS=1} (2 cores, loaded machine). OpenBLAS reads
 * that variable when it loads, and Java cannot set a variable of its own process, so the {@code gwembed} launcher and
 * the build's test runs set it to 1 (for any library) and {@link DenseBlas} splits the large products over gwembed's
 * workers instead; applications that embed the library should do the same ({@link #describe()} says what is in
 * effect).
 *
 * <p>A netlib property the user set ({@code dev.ludovic.netlib.blas.nativeLib[Path]}) always wins. Library code never
 * prints: {@link #describe()} says what was chosen and why, and {@code gwembed info} shows it.
 */
public final class NativeBlasLibrary {

    /** The OpenBLAS build shipped (the {@code org.bytedeco:openblas} version). */
    public static final String BUNDLED_VERSION = "0.3.31-1.5.13";

    private static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    /** The library netlib opens, and what its RUNPATH ($ORIGIN) resolves beside it. */
    private static final String LIBRARY = "libopenblas.so.0";
    private static final List<String> FILES = List.of("libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1",
            LIBRARY);
    private static final String[] NETLIB_PATH_PROPERTIES = {"dev.ludovic.netlib.blas.nativeLibPath",
            "dev.ludovic.netlib.lapack.nativeLibPath"};
    private static final String[] NETLIB_PROPERTIES = {"dev.ludovic.netlib.blas.nativeLib",
            "dev.ludovic.netlib.lapack.nativeLib", NETLIB_PATH_PROPERTIES[0], NETLIB_PATH_PROPERTIES[1]};

    private static String outcome = "not prepared";

    private NativeBlasLibrary() {
    }

    /**
     * Sets netlib's library properties as {@code gwembed.blas} asks; called once by {@link DenseBlas} and
     * {@link DenseLapack} before their first use (later calls do nothing).
     */
    static synchronized void prepare() {
        if (!"not prepared".equals(outcome)) {
            return;
        }
        outcome = choose();
    }

    /** What {@link #prepare()} decided, e.g. {@code "bundled OpenBLAS 0.3.31-1.5.13 (~/.cache/gwembed/...)"}. */
    public static synchronized String describe() {
        return outcome;
    }

    private static String choose() {
        for (String p : NETLIB_PROPERTIES) {
            if (System.getProperty(p) != null) {
                return "as set by -D" + p;
            }
        }
        String mode = setting();
        switch (mode) {
            case "system":
                return "system (gwembed.blas=system)";
            case "java":
                // A library that does not exist: netlib's JNI loader fails quietly and falls back to pure Java.
                for (String p : NETLIB_PATH_PROPERTIES) {
                    System.setProperty(p, "/nonexistent/gwembed-pure-java-blas");
                }
                return "pure Java (gwembed.blas=java)";
            case "auto": {
                Path system = systemBlas();
                if (system != null && optimised(system)) {
                    return "system " + system + " (gwembed.blas=auto)";
                }
                return bundled();
            }
            case "bundled":
                return bundled();
            default:
                throw new IllegalArgumentException("gwembed.blas (or GWEMBED_BLAS) is '" + mode
                        + "'; expected auto, bundled, system or java");
        }
    }

    private static String setting() {
        String v = System.getProperty("gwembed.blas");
        if (v == null || v.isBlank()) {
            v = System.getenv("GWEMBED_BLAS");
        }
        return v == null || v.isBlank() ? "auto" : v.trim().toLowerCase(Locale.ROOT);
    }

    /** The real path of the {@code libblas.so.3} the dynamic linker would find first, or null. */
    static Path systemBlas() {
        List<String> dirs = new java.util.ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        dirs.addAll(List.of("/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64",
                "/lib64", "/usr/lib", "/lib"));
        for (String d : dirs) {
            if (d.isBlank()) {
                continue;
            }
            Path p = Path.of(d, "libblas.so.3");
            if (Files.isRegularFile(p)) {
                try {
                    return p.toRealPath();
                } catch (IOException e) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Whether a BLAS path names an optimised implementation rather than the reference BLAS. */
    static boolean optimised(Path library) {
        String s = library.toString().toLowerCase(Locale.ROOT);
        return s.contains("openblas") || s.contains("mkl") || s.contains("blis") || s.contains("atlas");
    }

    private static String bundled() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "system (no bundled OpenBLAS for " + os + "/" + arch + ")";
        }
        ClassLoader loader = NativeBlasLibrary.class.getClassLoader();
        if (loader.getResource(RESOURCE_DIR + LIBRARY) == null) {
            return "system (the bundled OpenBLAS is not on the class path)";
        }
        Path library;
        try {
            library = extract(loader);
        } catch (IOException | RuntimeException e) {
            return "system (the bundled OpenBLAS could not be extracted: " + e.getMessage() + ")";
        }
        try {
            // Fails here, with the reason, rather than inside netlib's loader, which would give up on native code.
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            return "system (the bundled OpenBLAS did not load: " + e.getMessage() + ")";
        }
        for (String p : NETLIB_PATH_PROPERTIES) {
            System.setProperty(p, library.toString());
        }
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        return "bundled OpenBLAS " + BUNDLED_VERSION + " (" + library.getParent() + "), "
                + (threads == null ? "its own thread count (OPENBLAS_NUM_THREADS unset)"
                        : "OPENBLAS_NUM_THREADS=" + threads);
    }

    /**
     * Extracts the libraries into {@code $XDG_CACHE_HOME/gwembed/openblas-VERSION} (or {@code ~/.cache/...}, or
     * the temporary directory when the home is not writable) unless a complete copy is there already; the copy is
     * made in a private temporary directory and renamed into place, so concurrent first runs never see half a file.
     */
    private static Path extract(ClassLoader loader) throws IOException {
        IOException last = null;
        for (Path base : cacheBases()) {
            Path dir = base.resolve("gwembed").resolve("openblas-" + BUNDLED_VERSION);
            try {
                if (complete(dir, loader)) {
                    return dir.resolve(LIBRARY);
                }
                Files.createDirectories(dir.getParent());
                Path tmp = Files.createTempDirectory(dir.getParent(), ".openblas-");
                try {
                    for (String f : FILES) {
                        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + f)) {
                            if (in == null) {
                                throw new IOException("resource " + RESOURCE_DIR + f + " missing");
                            }
                            Files.copy(in, tmp.resolve(f));
                        }
                    }
                    if (Files.exists(dir) && !complete(dir, loader)) {
                        deleteQuietly(dir); // a copy left incomplete (a full disk, a killed run) is replaced
                    }
                    try {
                        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        // Another process won the race: use its copy if whole.
                        if (!complete(dir, loader)) {
                            throw new IOException(dir + " exists but is incomplete", e);
                        }
                    }
                } finally {
                    deleteQuietly(tmp);
                }
                if (complete(dir, loader)) {
                    return dir.resolve(LIBRARY);
                }
                throw new IOException(dir + " incomplete after extraction");
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no cache directory");
    }

    private static List<Path> cacheBases() {
        List<Path> bases = new java.util.ArrayList<>();
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            bases.add(Path.of(xdg));
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !"?".equals(home)) {
            bases.add(Path.of(home, ".cache"));
        }
        bases.add(Path.of(System.getProperty("java.io.tmpdir"), "gwembed-" + System.getProperty("user.name", "user")));
        return bases;
    }

    /** Whether every file is there with the size of its resource. */
    private static boolean complete(Path dir, ClassLoader loader) throws IOException {
        for (String f : FILES) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                return false;
            }
            java.net.URL url = loader.getResource(RESOURCE_DIR + f);
            if (url == null) {
                return false;
            }
            long expected = url.openConnection().getContentLengthLong();
            if (expected >= 0 && Files.size(p) != expected) {
                return false;
            }
        }
        return true;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a stale temporary directory in the cache is harmless
        }
    }
}
