package org.gwembed.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.Tables;

/** Small collections for the tests: noisy rings and noisy bars in the plane, as distance matrices. */
final class TestCollections {

    private TestCollections() {
    }

    /**
     * Writes {@code count} members {@code m00.npy ...} to {@code dir} (even: a ring, odd: a bar, {@code minPoints}
     * to {@code minPoints + 6} points) and {@code labels.csv}.
     */
    static Path write(Path dir, int count, int minPoints, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        StringBuilder labels = new StringBuilder("name,label\n");
        for (int k = 0; k < count; k++) {
            int n = minPoints + random.nextInt(7);
            double[][] x = new double[n][2];
            for (int p = 0; p < n; p++) {
                if (k % 2 == 0) {
                    double t = 2 * Math.PI * random.nextDouble();
                    x[p][0] = Math.cos(t) + 0.05 * random.nextGaussian();
                    x[p][1] = Math.sin(t) + 0.05 * random.nextGaussian();
                } else {
                    x[p][0] = 2 * random.nextGaussian();
                    x[p][1] = 0.2 * random.nextGaussian();
                }
            }
            Tables.writeNpy(dir.resolve(String.format("m%02d.npy", k)), distances(x));
            labels.append(String.format("m%02d,%s%n", k, k % 2 == 0 ? "ring" : "bar"));
        }
        Files.writeString(dir.resolve("labels.csv"), labels.toString(), StandardCharsets.UTF_8);
        return dir;
    }

    /**
     * Writes a feature table of {@code d} Gaussian columns beside each of the members {@code m00 ... } of {@code dir}
     * ({@code NAME.features.npy}, for odd members {@code NAME.features.csv}), one row per point; returns {@code dir}.
     */
    static Path writeFeatures(Path dir, int count, int d, long seed) throws IOException {
        Random random = new Random(seed);
        for (int k = 0; k < count; k++) {
            String name = String.format("m%02d", k);
            int n = Member.headerSize(dir.resolve(name + ".npy"));
            DMatrixRMaj f = gaussian(n, d, random);
            if (k % 2 == 0) {
                Tables.writeNpy(dir.resolve(name + Member.FEATURES + ".npy"), f);
            } else {
                Tables.writeCsv(dir.resolve(name + Member.FEATURES + ".csv"), f, List.of());
            }
        }
        return dir;
    }

    /** An {@code n × d} matrix of standard Gaussian entries. */
    static DMatrixRMaj gaussian(int n, int d, Random random) {
        DMatrixRMaj f = new DMatrixRMaj(n, d);
        for (int t = 0; t < n * d; t++) {
            f.data[t] = random.nextGaussian();
        }
        return f;
    }

    static DMatrixRMaj distances(double[][] x) {
        int n = x.length;
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d.set(i, j, Math.hypot(x[i][0] - x[j][0], x[i][1] - x[j][1]));
            }
        }
        return d;
    }
}
