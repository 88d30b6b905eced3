package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Fixtures;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.PartialGromovWasserstein;
import org.gwembed.solvers.SemiRelaxedGromovWasserstein;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairwiseJobTest {

    /** Round-off allowance of the W₂ bound: exact OT against the entropic middle plan's cost. */
    private static final double W2_SLACK = 1e-9;

    @TempDir
    Path dir;

    private List<Member> collection(int count) throws IOException {
        return Member.scan(TestCollections.write(dir.resolve("in"), count, 8, 11), Set.of("labels.csv"));
    }

    private static MetricMeasureSpace read(Member m) {
        return MetricMeasureSpace.uniform(DistanceMatrices.read(Path.of(m.path())));
    }

    @Test
    void theMatrixHoldsTheSingleProblemSolverValuesSymmetricWithAZeroDiagonal() throws IOException {
        List<Member> members = collection(6);
        PairwiseJob.Result r;
        try (Engine e = new LocalEngine(2)) {
            r = new PairwiseJob(members, PairSpec.gw()).run(e, dir.resolve("out"), false, BatchListener.NONE);
        }
        int n = members.size();
        assertEquals(n * (n - 1) / 2, r.pairs().size());
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, r.matrix().get(i, i));
            for (int j = i + 1; j < n; j++) {
                double direct = GromovWasserstein.conditionalGradient(read(members.get(i)), read(members.get(j)),
                        GromovWasserstein.Options.defaults()).distance();
                assertEquals(direct, r.matrix().get(i, j), 0.0, "pair " + i + "," + j);
                assertEquals(direct, r.matrix().get(j, i), 0.0);
            }
        }
        // GW(X, X) = 0: the conditional gradient from the product coupling finds the identity on the sample
        assertEquals(PairwiseJob.DIAGONAL_SAMPLE, r.diagonalSample().size());
        assertEquals(0.0, r.maxDiagonal(), 1e-12);
        DMatrixRMaj saved = Tables.readNpy(dir.resolve("out/matrix.npy")).values();
        assertArrayEquals(r.matrix().data, saved.data, 0.0);
        List<String> csv = Files.readAllLines(dir.resolve("out/pairs.csv"), StandardCharsets.UTF_8);
        assertEquals(1 + r.pairs().size() + PairwiseJob.DIAGONAL_SAMPLE, csv.size());
        assertTrue(csv.get(1).startsWith("0,1,m00,m01,ok,"), csv.get(1));
    }

    @Test
    void everyPairwiseMethodGoesThroughItsSingleProblemSolver() throws IOException {
        List<Member> members = collection(3);
        MetricMeasureSpace a = read(members.get(0));
        MetricMeasureSpace b = read(members.get(1));
        try (Engine e = new LocalEngine(2)) {
            PairSpec entropic = PairSpec.entropicGw(0.2).withMaxIterations(50);
            DMatrixRMaj m = new PairwiseJob(members, entropic).run(e, dir.resolve("e"), false, BatchListener.NONE)
                    .matrix();
            assertEquals(GromovWasserstein.entropic(a, b, GromovWasserstein.EntropicOptions.defaults(0.2)
                    .withMaxIterations(50)).distance(), m.get(0, 1), 0.0);

            PairSpec semi = new PairSpec(PairSpec.Method.SEMIRELAXED_GW, Double.NaN, 0, 1, 0, 0, Double.NaN, null,
                    false, Double.NaN);
            m = new PairwiseJob(members, semi).run(e, dir.resolve("s"), false, BatchListener.NONE).matrix();
            SemiRelaxedGromovWasserstein.Options so = SemiRelaxedGromovWasserstein.Options.defaults();
            DMatrixRMaj da = a.space().distanceMatrix();
            DMatrixRMaj db = b.space().distanceMatrix();
            assertEquals(SemiRelaxedGromovWasserstein.conditionalGradient(da, a.weights(), db, so).distance(),
                    m.get(0, 1), 0.0);
            assertEquals(SemiRelaxedGromovWasserstein.conditionalGradient(db, b.weights(), da, so).distance(),
                    m.get(1, 0), 0.0);

            PairSpec partial = new PairSpec(PairSpec.Method.PARTIAL_GW, Double.NaN, 0, 0.6, 0, 0, Double.NaN, null,
                    false, Double.NaN);
            m = new PairwiseJob(members, partial).run(e, dir.resolve("p"), false, BatchListener.NONE).matrix();
            assertEquals(PartialGromovWasserstein.solve(da, a.weights(), db, b.weights(), 0.6,
                    PartialGromovWasserstein.Options.defaults()).distance(), m.get(0, 1), 0.0);

            PairSpec lowRank = new PairSpec(PairSpec.Method.LOWRANK_GW, Double.NaN, 50, 1, 3, 5, Double.NaN, null,
                    false, Double.NaN);
            PairwiseJob.Result lr = new PairwiseJob(members, lowRank).run(e, dir.resolve("l"), false,
                    BatchListener.NONE);
            assertTrue(lr.pairs().stream().allMatch(p -> p.ok() && p.value() >= 0), lr.pairs().toString());
        }
    }

    @Test
    void ewlGivesJAndTheExactW2OfTheRelaxedEmbeddingsBelowTheMiddlePlansCost() throws IOException {
        List<Member> members = collection(3);
        PairSpec spec = PairSpec.ewl(10, 0.05, "plane:4").withNormalize(true);
        PairwiseJob.Result r;
        try (Engine e = new LocalEngine(2)) {
            r = new PairwiseJob(members, spec).run(e, dir.resolve("out"), false, BatchListener.NONE);
        }
        MetricMeasureSpace a = read(members.get(0)).normalizedToMax(1);
        MetricMeasureSpace b = read(members.get(1)).normalizedToMax(1);
        EmbeddingResult direct = JointEmbedding.embed(a, b, EmbeddingSpaces.parse("plane:4"),
                JointEmbedding.Options.defaults(10, 0.05).withThreads(1));
        assertEquals(direct.objective().total(), r.matrix().get(0, 1), 0.0);
        // Π couples ζ₁ and ζ₂, so the optimal W₂² cannot exceed ⟨D_X², Π⟩
        assertTrue(r.second().get(0, 1) <= direct.objective().wasserstein() + W2_SLACK,
                r.second().get(0, 1) + " > " + direct.objective().wasserstein());
        assertTrue(r.second().get(0, 1) >= 0);
        // EW_λ's diagonal is computed for every member, and positive
        assertEquals(members.size(), r.diagonalSample().size());
        assertTrue(r.matrix().get(2, 2) > 0);
        assertTrue(Files.exists(dir.resolve("out/second.npy")));
    }

    @Test
    void badMembersAreReportedPerPairWithTheReasonAndTheOthersStillRun() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 4, 8, 5);
        DMatrixRMaj nan = Tables.readNpy(in.resolve("m00.npy")).values().copy();
        nan.set(1, 2, Double.NaN);
        nan.set(2, 1, Double.NaN);
        Tables.writeNpy(in.resolve("m90nan.npy"), nan);
        DMatrixRMaj asym = Tables.readNpy(in.resolve("m01.npy")).values().copy();
        asym.set(0, 1, asym.get(0, 1) + 1);
        Tables.writeNpy(in.resolve("m91asym.npy"), asym);
        Files.write(in.resolve("m92broken.npy"), new byte[] {1, 2, 3, 4});
        List<Member> members = Member.scan(in, Set.of("labels.csv"));
        assertEquals(7, members.size());
        PairwiseJob.Result r;
        try (Engine e = new LocalEngine(2)) {
            r = new PairwiseJob(members, PairSpec.gw()).run(e, dir.resolve("out"), false, BatchListener.NONE);
        }
        // pairs touching one of the 3 bad members: 3 * 6 - 3 (among themselves)
        assertEquals(15, r.bad().size());
        for (PairResult p : r.bad()) {
            assertTrue(Double.isNaN(r.matrix().get(p.i(), p.j())));
            String bad = members.get(p.i()).name().startsWith("m9") ? members.get(p.i()).name()
                    : members.get(p.j()).name();
            assertTrue(p.reason().contains("member " + bad), p.reason());
        }
        assertTrue(r.bad().stream().anyMatch(p -> p.reason().contains("m90nan") && p.reason().contains("NaN")
                || p.reason().contains("m90nan") && p.reason().toLowerCase().contains("finite")), r.bad().toString());
        assertTrue(r.bad().stream().anyMatch(p -> p.reason().contains("m91asym")
                && p.reason().contains("symmetric")), r.bad().toString());
        assertEquals(6, r.pairs().size() - r.bad().size());
        assertFalse(Double.isNaN(r.matrix().get(0, 1)));
    }

    @Test
    void aResumedRunComputesOnlyTheMissingPairsAndGivesTheSameMatrix() throws IOException {
        List<Member> members = collection(5);
        Path out = dir.resolve("out");
        PairwiseJob job = new PairwiseJob(members, PairSpec.gw());
        DMatrixRMaj full;
        try (Engine e = new LocalEngine(2)) {
            full = job.run(e, out, false, BatchListener.NONE).matrix();
        }
        // keep only the first 4 lines of the log, as if the run had been killed there
        Path part;
        try (Stream<Path> s = Files.list(out.resolve("log"))) {
            part = s.findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
        Files.writeString(part, String.join("\n", lines.subList(0, 4)) + "\n" + "2:3,trunc", StandardCharsets.UTF_8);
        Fixtures.assertRejects("--resume", () -> {
            try (Engine e = new LocalEngine(1)) {
                job.run(e, out, false, BatchListener.NONE);
            }
        });
        PairwiseJob.Result resumed;
        try (Engine e = new LocalEngine(2)) {
            resumed = job.run(e, out, true, BatchListener.NONE);
        }
        assertEquals(4, resumed.skipped());
        assertEquals(job.tasks().size() - 4, resumed.ran());
        assertArrayEquals(full.data, resumed.matrix().data, 0.0);
        // another job into the same folder is refused
        Fixtures.assertRejects("another job", () -> {
            try (Engine e = new LocalEngine(1)) {
                new PairwiseJob(members, PairSpec.entropicGw(0.1)).run(e, out, true, BatchListener.NONE);
            }
        });
    }

    @Test
    void membersAreScannedSortedWithSizesFromTheirHeaders() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 3, 8, 2);
        Files.writeString(in.resolve("z.csv"), "0,1\n1,0\n", StandardCharsets.UTF_8);
        List<Member> members = Member.scan(in, Set.of("labels.csv"));
        List<String> names = new ArrayList<>();
        for (Member m : members) {
            names.add(m.name());
            assertEquals(DistanceMatrices.read(Path.of(m.path())).size(), m.size());
        }
        assertEquals(List.of("m00", "m01", "m02", "z"), names);
        Fixtures.assertRejects("--inputs", () -> Member.scan(dir.resolve("missing"), Set.of()));
    }
}
