package org.gwembed.examples;

import static org.gwembed.core.Fixtures.assertRejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.CollectionMetrics;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.solvers.GromovWasserstein;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated motion collection: its settings, its geometry, its files, and that GW tells the movements apart. */
class MotionSequencesTest {

    /** Round-off of distances of about 1 between 45-vectors. */
    private static final double ROUND_OFF = 1e-12;

    /** The small collection of the tests: 8 members of about 60 frames, 4 movements. */
    private static final MotionSequences.Options SMALL = MotionSequences.Options.defaults().withMembers(8)
            .withFrames(60);

    @TempDir
    Path dir;

    @Test
    void sameSeedSameCollectionOtherSeedAnother() {
        MotionSequences.Collection a = MotionSequences.generate(SMALL);
        MotionSequences.Collection b = MotionSequences.generate(SMALL);
        MotionSequences.Collection c = MotionSequences.generate(SMALL.withSeed(2));
        for (int m = 0; m < a.members().size(); m++) {
            assertArrayEquals(a.members().get(m).poses().data, b.members().get(m).poses().data, 0);
            assertArrayEquals(a.members().get(m).space().space().distanceMatrix().data,
                    b.members().get(m).space().space().distanceMatrix().data, 0);
        }
        assertFalse(a.members().get(0).frames() == c.members().get(0).frames()
                && a.members().get(0).period() == c.members().get(0).period());
    }

    @Test
    void membersFollowTheSettings() {
        MotionSequences.Collection c = MotionSequences.generate(SMALL.withMembers(10).withClasses(5));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4}, c.labels(), "classes in turn");
        for (MotionSequences.Member m : c.members()) {
            assertTrue(m.frames() >= 40 && m.frames() <= 80, "2/3 to 4/3 of 60 frames: " + m.frames());
            assertTrue(m.period() >= 6 && m.period() <= 15, "periods F/10 to F/4: " + m.period());
            assertTrue(m.amplitude() >= 0.75 && m.amplitude() <= 1.25, "amplitude " + m.amplitude());
            assertEquals(3 * MotionSequences.JOINTS, m.poses().numCols);
            assertEquals(m.frames(), m.space().size());
            double w = 1.0 / m.frames();
            for (double x : m.space().weights()) {
                assertEquals(w, x, ROUND_OFF, "uniform weights");
            }
        }
        assertEquals(MotionSequences.JOINTS, MotionSequences.JOINT_NAMES.size());
    }

    /** Without noise, bones keep their length in every frame: the kinematics move joints rigidly along bones. */
    @Test
    void bonesKeepTheirLengthsWithoutNoise() {
        int[][] bones = {{0, 1}, {1, 2}, {1, 3}, {3, 4}, {4, 5}, {1, 6}, {6, 7}, {7, 8}, {0, 9}, {9, 10}, {10, 11},
            {0, 12}, {12, 13}, {13, 14}};
        MotionSequences.Collection c = MotionSequences.generate(SMALL.withClasses(5).withMembers(5).withNoise(0));
        for (MotionSequences.Member m : c.members()) {
            DMatrixRMaj p = m.poses();
            for (int[] b : bones) {
                double first = length(p, 0, b);
                for (int t = 1; t < p.numRows; t++) {
                    assertEquals(first, length(p, t, b), 1e-12, m.movement() + " bone " + b[0] + "-" + b[1]);
                }
            }
            // the movements move: some frame differs from frame 0 by more than a few centimetres
            DMatrixRMaj d = m.space().space().distanceMatrix();
            double max = 0;
            for (int t = 0; t < d.numCols; t++) {
                max = Math.max(max, d.get(0, t));
            }
            assertTrue(max > 0.1, m.movement() + " largest pose change " + max);
        }
    }

    /** The pose distance by hand, and its invariance under translations (per frame) and a rotation of all frames. */
    @Test
    void poseDistanceIsCentredEuclidean() {
        // two frames of two joints: (0,0,0),(1,0,0) and (5,5,5),(5,5,7): centred ±(0.5,0,0) and ±(0,0,1)
        DMatrixRMaj p = new DMatrixRMaj(new double[][] {{0, 0, 0, 1, 0, 0}, {5, 5, 5, 5, 5, 7}});
        double expected = Math.sqrt(2 * (0.25 + 1));
        DMatrixRMaj d = MotionSequences.poseDistances(p);
        assertEquals(expected, d.get(0, 1), ROUND_OFF);
        assertEquals(expected, d.get(1, 0), ROUND_OFF);
        assertEquals(0, d.get(0, 0), 0);

        DMatrixRMaj poses = MotionSequences.generate(SMALL.withMembers(1)).members().get(0).poses();
        DMatrixRMaj ref = MotionSequences.poseDistances(poses);
        DMatrixRMaj moved = poses.copy();
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        for (int t = 0; t < moved.numRows; t++) {
            double[] shift = {0.3 * t, -2, Math.sin(t)}; // walking forward, jumping
            for (int j = 0; j < MotionSequences.JOINTS; j++) {
                double x = poses.get(t, 3 * j);
                double z = poses.get(t, 3 * j + 2);
                moved.set(t, 3 * j, c * x - s * z + shift[0]);
                moved.set(t, 3 * j + 1, poses.get(t, 3 * j + 1) + shift[1]);
                moved.set(t, 3 * j + 2, s * x + c * z + shift[2]);
            }
        }
        DMatrixRMaj other = MotionSequences.poseDistances(moved);
        for (int k = 0; k < ref.data.length; k++) {
            assertEquals(ref.data[k], other.data[k], 1e-12);
        }
        assertRejects("3 columns per joint", () -> MotionSequences.poseDistances(new DMatrixRMaj(4, 5)));
    }

    @Test
    void optionsNameTheBadArgument() {
        MotionSequences.Options d = MotionSequences.Options.defaults();
        assertRejects("members must be >= 1, got 0", () -> d.withMembers(0));
        assertRejects("frames must be >= 6, got 2", () -> d.withFrames(2));
        assertRejects("classes must be in [1, 5], got 6", () -> d.withClasses(6));
        assertRejects("noise must be >= 0", () -> d.withNoise(-1));
        assertRejects("periodMax", () -> d.withPeriods(20, 10));
        assertRejects("amplitudeSpread", () -> d.withAmplitudeSpread(1.5));
        assertRejects("timingWarp", () -> d.withStyle(5, 2));
        assertRejects("options", () -> MotionSequences.generate(null));
    }

    @Test
    void writesOneNpyPerMemberAndTheLabels() throws IOException {
        MotionSequences.Collection c = MotionSequences.generate(SMALL.withMembers(3).withFrames(20));
        List<String> files = MotionSequences.write(c, dir.resolve("sub"));
        assertEquals(List.of("member-000.npy", "member-001.npy", "member-002.npy", "labels.csv"), files);
        for (MotionSequences.Member m : c.members()) {
            MetricMeasureSpace read = DistanceMatrices.read(dir.resolve("sub").resolve(m.fileName()), null, false);
            assertArrayEquals(m.space().space().distanceMatrix().data, read.space().distanceMatrix().data, 0,
                    "the .npy holds the doubles exactly");
        }
        List<String> lines = Files.readAllLines(dir.resolve("sub").resolve("labels.csv"), StandardCharsets.UTF_8);
        assertEquals(MotionSequences.LABELS_HEADER, lines.get(0));
        assertEquals(4, lines.size());
        String[] row = lines.get(2).split(",");
        MotionSequences.Member m = c.members().get(1);
        assertEquals("member-001.npy", row[0]);
        assertEquals("jumping-jacks", row[1]);
        assertEquals("1", row[2]);
        assertEquals(m.speed(), Double.parseDouble(row[3]), 0);
        assertEquals(m.period(), Double.parseDouble(row[4]), 0);
        assertEquals(m.phase(), Double.parseDouble(row[5]), 0);
        assertEquals(m.amplitude(), Double.parseDouble(row[6]), 0);
        assertEquals(m.frames(), Integer.parseInt(row[7]));
    }

    /**
     * The point of the collection: GW between members (conditional gradient, POT's defaults) is small within a
     * movement and larger across, so 1-NN on the GW matrix recovers the movement (here 12 members of about 60
     * frames; the README's 20 members of 300 frames come from the bench's {@code MotionSeparation}).
     */
    @Test
    void gromovWassersteinSeparatesTheMovements() {
        MotionSequences.Collection c = MotionSequences.generate(SMALL.withMembers(12));
        int n = c.members().size();
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                GromovWasserstein.Result r = GromovWasserstein.conditionalGradient(c.members().get(i).space(),
                        c.members().get(j).space(), GromovWasserstein.Options.defaults());
                assertTrue(r.converged(), r.stopReason() + " for pair " + i + "," + j);
                g.set(i, j, r.distance());
                g.set(j, i, r.distance());
            }
        }
        double accuracy = CollectionMetrics.nearestNeighbourAccuracy(g, c.labels());
        double silhouette = CollectionMetrics.silhouette(g, c.labels());
        assertTrue(accuracy >= 0.75, "1-NN accuracy " + accuracy);
        assertTrue(silhouette > 0.2, "silhouette " + silhouette);
    }

    private static double length(DMatrixRMaj p, int t, int[] bone) {
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            double diff = p.get(t, 3 * bone[0] + k) - p.get(t, 3 * bone[1] + k);
            sum += diff * diff;
        }
        return Math.sqrt(sum);
    }
}
