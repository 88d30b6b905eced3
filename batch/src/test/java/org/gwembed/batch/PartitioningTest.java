package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PartitioningTest {

    @Test
    void everyTaskLandsOnceAndTheLargestPartitionIsWithinFourThirdsOfTheOptimum() {
        Random random = new Random(3);
        List<PairTask> tasks = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            int n1 = 50 + random.nextInt(400);
            int n2 = 50 + random.nextInt(400);
            tasks.add(new PairTask(k, k + 1, PairSpec.gw().cost(n1, n2, 0)));
        }
        int parts = 7;
        List<List<PairTask>> bins = Partitioning.balance(tasks, parts);
        assertEquals(parts, bins.size());
        Set<String> seen = new HashSet<>();
        long total = 0;
        long largestTask = 0;
        for (List<PairTask> bin : bins) {
            for (PairTask t : bin) {
                assertTrue(seen.add(t.key()), "task twice: " + t.key());
                total += t.cost();
                largestTask = Math.max(largestTask, t.cost());
            }
        }
        assertEquals(tasks.size(), seen.size());
        long max = 0;
        for (long l : Partitioning.loads(bins)) {
            max = Math.max(max, l);
        }
        // the optimum is at least max(mean load, largest task); LPT is within 4/3 of it (Graham 1969)
        double lower = Math.max(total / (double) parts, largestTask);
        assertTrue(max <= 4.0 / 3.0 * lower, "largest partition " + max + " against the bound " + lower);
    }

    @Test
    void theCostModelSplitsOneHugePairFromManySmallOnes() {
        List<PairTask> tasks = new ArrayList<>();
        tasks.add(new PairTask(0, 1, PairSpec.gw().cost(1000, 1000, 0)));
        for (int k = 0; k < 30; k++) {
            tasks.add(new PairTask(2 + k, 3 + k, PairSpec.gw().cost(100, 100, 0)));
        }
        List<List<PairTask>> bins = Partitioning.balance(tasks, 2);
        // the huge pair (2e9) outweighs all the small ones (30 * 2e6): it sits alone
        assertTrue(bins.stream().anyMatch(b -> b.size() == 1 && b.get(0).key().equals("0:1")));
    }

    @Test
    void fewerTasksThanPartitionsGiveOneTaskEach() {
        List<PairTask> tasks = List.of(new PairTask(0, 1, 5), new PairTask(0, 2, 9));
        assertEquals(2, Partitioning.balance(tasks, 8).size());
        assertEquals(0, Partitioning.balance(List.<PairTask>of(), 8).size());
    }
}
