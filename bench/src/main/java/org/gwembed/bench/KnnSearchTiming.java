package org.gwembed.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.SparseRows;
import org.gwembed.metricspaces.Tables;

/**
 * The k-NN graph step alone (no geodesics), today's dense path ({@link KnnGraph#graph(DMatrixRMaj,
 * KnnGraph.Options)}: an {@code n × n} distance matrix, then a heap per row) against the sparse exact search
 * ({@link KnnGraph#graph(SparseRows, KnnGraph.Options)}), on the SNAREseq RNA and ATAC features (dense, 1047 cells)
 * and on seeded count-like sparse matrices of SNAREseq's size and of 10 000 cells. Prints the median of
 * {@code runs} wall times per case (one run at 10 000 cells); both paths are checked to give the same edge count.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat cp.txt) org.gwembed.bench.KnnSearchTiming [runs] [threads]}
 */
public final class KnnSearchTiming {

    private KnnSearchTiming() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path data = Path.of(System.getProperty("gwembed.shared.dir", "../shared"), "data", "snareseq");
        for (String f : new String[] {"SNAREseq_rna_feat.npy", "SNAREseq_atac_feat.npy"}) {
            if (Files.isRegularFile(data.resolve(f))) {
                DMatrixRMaj x = Tables.read(data.resolve(f)).values();
                compare(f, x, SparseRows.fromDense(x), runs, threads);
            }
        }
        compare("counts 1047x2000 5%", null, counts(1047, 2000, 0.05, 1), runs, threads);
        // one run at 10 000 cells: today's path forms a 10 000 x 10 000 matrix from 2e11 multiply-adds
        compare("counts 10000x2000 5%", null, counts(10000, 2000, 0.05, 2), 1, threads);
    }

    private static void compare(String name, DMatrixRMaj dense, SparseRows sparse, int runs, int threads) {
        for (KnnGraph.Options o : new KnnGraph.Options[] {KnnGraph.Options.euclidean(10).withThreads(threads),
            KnnGraph.Options.euclidean(10).withMetric(KnnGraph.Metric.CORRELATION).withThreads(threads)}) {
            double[] a = new double[runs];
            double[] b = new double[runs];
            long edgesA = 0;
            long edgesB = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                DMatrixRMaj d = dense != null ? dense : sparse.toDense(); // today's path reads the rows dense
                edgesA = KnnGraph.graph(d, o).edgeCount();
                a[r] = (System.nanoTime() - t0) * 1e-9;
                t0 = System.nanoTime();
                edgesB = KnnGraph.graph(sparse, o).edgeCount();
                b[r] = (System.nanoTime() - t0) * 1e-9;
            }
            System.out.printf(Locale.ROOT, "%-26s %-12s n=%d d=%d nnz=%d  dense path %.3f s  sparse search %.3f s"
                    + "  ratio %.2f  edges %d/%d%n", name, o.metric(), sparse.rows(), sparse.cols(),
                    sparse.storedEntries(), median(a), median(b), median(a) / median(b), edgesA, edgesB);
        }
    }

    /** Seeded count-like rows: each entry non-zero with probability {@code density}, values 1 + Poisson-ish. */
    static SparseRows counts(int n, int d, double density, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int cap = (int) (n * d * density * 1.2) + 16;
        int[] r = new int[cap];
        int[] c = new int[cap];
        double[] v = new double[cap];
        int t = 0;
        for (int i = 0; i < n; i++) {
            int group = i % 7; // cell types: a block of features more often expressed
            for (int j = 0; j < d; j++) {
                double p = (j / (d / 7) == group) ? 4 * density : density * 0.5;
                if (rng.nextDouble() < p && t < cap) {
                    r[t] = i;
                    c[t] = j;
                    v[t++] = 1 + Math.floor(-Math.log(1 - rng.nextDouble()) * 3);
                }
            }
        }
        return SparseRows.fromTriplets(n, d, r, c, v, t);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
