package org.gwembed.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BLAS choice is made once per JVM, so each mode is checked in a child JVM on this test's class path: it prints
 * what {@link DenseBlas#describe()} says and the largest error of a GEMM against a triple loop.
 */
class NativeBlasLibraryTest {

    /** The child JVM's program. */
    public static final class Probe {
        public static void main(String[] args) {
            int m = 37;
            int n = 23;
            int k = 41;
            java.util.Random r = new java.util.Random(7);
            double[] a = new double[m * k];
            double[] b = new double[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            double[] c = new double[m * n];
            DenseBlas.gemm(m, n, k, 1, a, b, 0, c);
            double err = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        s += a[i * k + l] * b[l * n + j];
                    }
                    err = Math.max(err, Math.abs(s - c[i * n + j]));
                }
            }
            System.out.println(DenseBlas.describe());
            System.out.println(DenseLapack.describe());
            System.out.println("error " + err);
        }
    }

    private static List<String> probe(String mode, Path cache) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (mode != null) {
            cmd.add("-Dgwembed.blas=" + mode);
        }
        cmd.add(Probe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().remove("GWEMBED_BLAS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    private static boolean linuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    @Test
    void bundledOpenBlasIsExtractedOnceLoadedAndComputesTheSameProduct(@TempDir Path cache) throws Exception {
        assumeTrue(linuxX86(), "OpenBLAS is shipped for linux-x86_64 only");
        List<String> out = probe("bundled", cache);
        assertTrue(out.get(0).startsWith("native (dev.ludovic.netlib.blas.JNIBLAS; bundled OpenBLAS"), out.get(0));
        assertTrue(out.get(1).startsWith("native ("), "LAPACK from the same library: " + out.get(1));
        assertTrue(Double.parseDouble(out.get(2).substring(6)) < 1e-12, out.get(2));
        Path dir = cache.resolve("gwembed").resolve("openblas-" + NativeBlasLibrary.BUNDLED_VERSION);
        Path lib = dir.resolve("libopenblas.so.0");
        assertTrue(Files.size(lib) > 1_000_000, "extracted library");
        long modified = Files.getLastModifiedTime(lib).toMillis();
        // A second run reuses the complete copy instead of extracting again.
        assertTrue(probe("bundled", cache).get(0).contains("bundled OpenBLAS"));
        assertEquals(modified, Files.getLastModifiedTime(lib).toMillis());
        try (var files = Files.list(cache.resolve("gwembed"))) {
            assertEquals(1, files.count(), "no temporary directory left behind");
        }
    }

    @Test
    void anIncompleteCopyIsReplaced(@TempDir Path cache) throws Exception {
        assumeTrue(linuxX86(), "OpenBLAS is shipped for linux-x86_64 only");
        Path dir = cache.resolve("gwembed").resolve("openblas-" + NativeBlasLibrary.BUNDLED_VERSION);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("libopenblas.so.0"), "truncated");
        List<String> out = probe("bundled", cache);
        assertTrue(out.get(0).contains("bundled OpenBLAS") && out.get(0).contains("(" + dir + ")"), out.get(0));
        assertTrue(Double.parseDouble(out.get(2).substring(6)) < 1e-12, out.get(2));
        assertTrue(Files.size(dir.resolve("libopenblas.so.0")) > 1_000_000, "the half copy was replaced");
    }

    @Test
    void javaModeGivesThePureJavaBlasAndTheSameProduct(@TempDir Path cache) throws Exception {
        List<String> out = probe("java", cache);
        assertTrue(out.get(0).startsWith("pure Java"), out.get(0));
        assertTrue(out.get(1).startsWith("pure Java"), out.get(1));
        assertTrue(Double.parseDouble(out.get(2).substring(6)) < 1e-12, out.get(2));
        assertFalse(Files.exists(cache.resolve("gwembed")), "nothing extracted in java mode");
    }

    @Test
    void theDefaultIsNativeWhereABlasIsShippedOrOptimised(@TempDir Path cache) throws Exception {
        assumeTrue(linuxX86(), "OpenBLAS is shipped for linux-x86_64 only");
        List<String> out = probe(null, cache);
        assertTrue(out.get(0).startsWith("native"), out.get(0));
        Path system = NativeBlasLibrary.systemBlas();
        if (system != null && NativeBlasLibrary.optimised(system)) {
            assertTrue(out.get(0).contains("system"), out.get(0));
        } else {
            assertTrue(out.get(0).contains("bundled OpenBLAS"), out.get(0));
        }
    }

    @Test
    void optimisedNamesAreRecognised() {
        assertTrue(NativeBlasLibrary.optimised(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")));
        assertTrue(NativeBlasLibrary.optimised(Path.of("/opt/intel/mkl/lib/libmkl_rt.so")));
        assertFalse(NativeBlasLibrary.optimised(Path.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")));
    }
}
