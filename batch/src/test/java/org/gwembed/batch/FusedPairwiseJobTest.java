package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Fixtures;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.FusedGromovWasserstein;
import org.gwembed.solvers.GromovWasserstein;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fused methods of the pairwise job: members with feature tables beside them. */
class FusedPairwiseJobTest {

    @TempDir
    Path dir;

    private Path collection(int count, int d, long seed) throws IOException {
        return TestCollections.writeFeatures(TestCollections.write(dir.resolve("in"), count, 8, seed), count, d,
                seed + 1);
    }

    private static MetricMeasureSpace read(Member m) {
        return MetricMeasureSpace.uniform(DistanceMatrices.read(Path.of(m.path())));
    }

    private static DMatrixRMaj features(Member m) {
        return Tables.read(m.features()).values();
    }

    private static PairwiseJob.Result run(List<Member> members, PairSpec spec, Path out) {
        try (Engine e = new LocalEngine(2)) {
            return new PairwiseJob(members, spec).run(e, out, false, BatchListener.NONE);
        }
    }

    @Test
    void eachPairIsTheDirectFusedGwOfItsMembersFeatureCost() throws IOException {
        List<Member> members = Member.scan(collection(5, 3, 21), Set.of("labels.csv"));
        // the feature tables are not members
        assertEquals(5, members.size());
        PairwiseJob.Result r = run(members, PairSpec.fusedGw(0.4), dir.resolve("out"));
        assertTrue(r.bad().isEmpty(), r.bad().toString());
        int n = members.size();
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, r.matrix().get(i, i));
            for (int j = i + 1; j < n; j++) {
                DMatrixRMaj m = FusedGromovWasserstein.featureCost(features(members.get(i)),
                        features(members.get(j)));
                GromovWasserstein.Result direct = FusedGromovWasserstein.conditionalGradient(read(members.get(i)),
                        read(members.get(j)), m, FusedGromovWasserstein.Options.defaults().withAlpha(0.4));
                assertEquals(direct.distance(), r.matrix().get(i, j), 0.0, "pair " + i + "," + j);
                assertEquals(direct.distance(), r.matrix().get(j, i), 0.0);
                assertTrue(direct.distance() > 0);
            }
        }
        // fused GW(X, X) with identical features is 0: the sample's conditional gradient finds the identity
        assertEquals(PairwiseJob.DIAGONAL_SAMPLE, r.diagonalSample().size());
        assertTrue(r.diagonalSample().stream().allMatch(PairResult::ok), r.diagonalSample().toString());
        assertEquals(0.0, r.maxDiagonal(), 1e-12);

        // alpha = 1 drops the feature cost: plain GW, value for value
        DMatrixRMaj gw = run(members, PairSpec.gw(), dir.resolve("gw")).matrix();
        assertArrayEquals(gw.data, run(members, PairSpec.fusedGw(1), dir.resolve("one")).matrix().data, 0.0);
    }

    /**
     * POT 0.8.2's {@code fused_gromov_wasserstein2} on every pair of a committed collection (script and numbers in
     * {@code reference/fused_batch/}). The conditional gradients take the same steps; measured: at most 8.3e-16
     * relative.
     */
    @Test
    void theMatrixAgreesWithPotOnACommittedCollection() throws IOException, URISyntaxException {
        Path ref = Path.of(getClass().getResource("/reference/fused_batch/pot_fused_gw.csv").toURI());
        List<Member> members = Member.scan(ref.resolveSibling("collection"), Set.of());
        assertEquals(5, members.size());
        DMatrixRMaj m = run(members, PairSpec.fusedGw(0.3), dir.resolve("out")).matrix();
        List<String> lines = Files.readAllLines(ref, StandardCharsets.UTF_8);
        assertEquals(1 + 10, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int i = Integer.parseInt(f[0]);
            int j = Integer.parseInt(f[1]);
            assertEquals(0.3, Double.parseDouble(f[2]));
            double pot = Double.parseDouble(f[3]);
            assertEquals(pot, m.get(i, j), 1e-12 * pot, line);
            assertEquals(pot, m.get(j, i), 1e-12 * pot, line);
        }
    }

    @Test
    void entropicFusedGwIsTheDirectEntropicFusedGw() throws IOException {
        List<Member> members = Member.scan(collection(3, 2, 22), Set.of("labels.csv"));
        PairwiseJob.Result r = run(members, PairSpec.entropicFusedGw(0.1, 0.7).withMaxIterations(50),
                dir.resolve("out"));
        GromovWasserstein.Result direct = FusedGromovWasserstein.entropic(read(members.get(0)), read(members.get(2)),
                FusedGromovWasserstein.featureCost(features(members.get(0)), features(members.get(2))),
                FusedGromovWasserstein.EntropicOptions.defaults(0.1).withAlpha(0.7)
                        .withSolver(GromovWasserstein.EntropicOptions.defaults(0.1).withMaxIterations(50)));
        assertEquals(direct.distance(), r.matrix().get(0, 2), 0.0);
        assertEquals(direct.iterations(), r.pairs().get(1).iterations());
    }

    @Test
    void membersWithoutOrWithMismatchedFeaturesAreBadPairsWithTheReason() throws IOException {
        Path in = collection(4, 2, 23);
        // m04: no feature table; m05: one row too few; m06: 3 columns instead of 2
        Random random = new Random(5);
        DMatrixRMaj d = Tables.readNpy(in.resolve("m00.npy")).values();
        int size = d.numRows;
        for (String name : List.of("m04", "m05", "m06")) {
            Tables.writeNpy(in.resolve(name + ".npy"), d);
        }
        Tables.writeNpy(in.resolve("m05.features.npy"), TestCollections.gaussian(size - 1, 2, random));
        Tables.writeNpy(in.resolve("m06.features.npy"), TestCollections.gaussian(size, 3, random));
        List<Member> members = Member.scan(in, Set.of("labels.csv"));
        assertEquals(7, members.size());
        PairwiseJob.Result r = run(members, PairSpec.fusedGw(0.5), dir.resolve("out"));
        for (PairResult p : r.bad()) {
            assertTrue(Double.isNaN(r.matrix().get(p.i(), p.j())));
        }
        String m04 = reason(r, 0, 4);
        assertTrue(m04.contains("member m04") && m04.contains("m04.features.npy"), m04);
        String m05 = reason(r, 1, 5);
        assertTrue(m05.contains("member m05") && m05.contains((size - 1) + " rows") && m05.contains(size + " points"),
                m05);
        String m06 = reason(r, 2, 6);
        assertTrue(m06.contains("m02 and m06") && m06.contains("2 and 3 feature columns"), m06);
        // m04 and m05 spoil all their pairs; m06 only those with the 2-column members: 6 + 5 + 4
        assertEquals(15, r.bad().size(), r.bad().toString());
        assertEquals(21 - 15, r.pairs().size() - r.bad().size());
        assertFalse(Double.isNaN(r.matrix().get(0, 1)));
        // the diagonal sample (members 0, 3, 6): m06 against itself has matching columns
        assertTrue(r.diagonalSample().stream().allMatch(PairResult::ok), r.diagonalSample().toString());
        assertEquals(0.0, r.maxDiagonal(), 1e-12);
    }

    private static String reason(PairwiseJob.Result r, int i, int j) {
        return r.pairs().stream().filter(p -> p.i() == i && p.j() == j).findFirst().orElseThrow().reason();
    }

    @Test
    void theSpecRefusesAnAlphaOutsideTheUnitInterval() {
        Fixtures.assertRejects("alpha", () -> PairSpec.fusedGw(1.5));
        Fixtures.assertRejects("alpha", () -> PairSpec.entropicFusedGw(0.1, Double.NaN));
    }
}
