package org.gwembed.metricspaces;

import static org.gwembed.core.Fixtures.sharedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The readers and the k-NN graph on the real single-cell data in {@code ../shared/data} (found through the system
 * property {@code gwembed.shared.dir} that surefire sets); skipped with a message naming the missing file when the
 * data are absent.
 */
class SharedDataTest {

    @Test
    void snareseqNpyAndCsvFeaturesAreIdentical() {
        for (String name : List.of("SNAREseq_rna_feat", "SNAREseq_atac_feat")) {
            Tables.Table npy = Tables.read(sharedData("snareseq/" + name + ".npy"));
            Tables.Table csv = Tables.read(sharedData("snareseq/" + name + ".csv"));
            assertEquals(1047, npy.rows());
            assertEquals(name.contains("rna") ? 10 : 19, npy.columns(), name);
            assertEquals(npy.columns(), csv.columns());
            assertTrue(csv.header().isEmpty());
            assertArrayEquals(npy.values().data, csv.values().data, 0.0, name + ": bit-identical values");
        }
    }

    @Test
    void snareseqAndScgemLabels() {
        List<String> rna = Labels.read(sharedData("snareseq/SNAREseq_rna_types.txt"));
        assertEquals(1047, rna.size());
        Labels.Classes c = Labels.toClasses(rna);
        assertEquals(List.of("1", "2", "3", "4"), c.names());
        assertArrayEquals(new int[] {379, 324, 201, 143}, c.sizes());
        assertEquals(rna, Labels.read(sharedData("snareseq/SNAREseq_atac_types.txt")));

        List<String> scgem = Labels.read(sharedData("scgem/scGEM_typeExpression.txt"));
        assertEquals(177, scgem.size());
        Labels.Classes s = Labels.toClasses(scgem);
        assertEquals(List.of("1", "2", "3", "4", "5"), s.names());
        assertArrayEquals(new int[] {35, 40, 32, 36, 34}, s.sizes());
        assertEquals(scgem, Labels.read(sharedData("scgem/scGEM_typeMethylation.txt")));
        Tables.Table expr = Tables.read(sharedData("scgem/scGEM_expression.csv"));
        assertEquals(177, expr.rows());
        assertEquals(34, expr.columns());
    }

    @Test
    void scotGraphOnSnareseqBuilds() {
        Tables.Table rna = Tables.read(sharedData("snareseq/SNAREseq_rna_feat.npy"));
        KnnGraph.Result r = KnnGraph.compute(rna.values(), KnnGraph.Options.scot(110));
        assertEquals(1047, r.distances().size());
        assertEquals(1, r.components().size(), "k = 110 connects all cells");
        double max = r.distances().maxDistance();
        assertTrue(max >= 2 && max == Math.rint(max), "hop counts, got max " + max);
        DenseMetricSpace euc = KnnGraph.geodesics(rna.values(), KnnGraph.Options.euclidean(10));
        assertEquals(1047, euc.size());
    }
}
