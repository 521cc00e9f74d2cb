package halo.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BlockPartitionTest {

    @ParameterizedTest(name = "{0} items in {1} parts")
    @CsvSource({"266,1", "266,2", "266,3", "266,8", "7,7", "30000000,8", "10,3"})
    void blocksAreContiguousCoverEverythingAndDifferByAtMostOne(long total, int parts) {
        BlockPartition partition = new BlockPartition(total, parts);
        long expectedStart = 0;
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (int p = 0; p < parts; p++) {
            assertEquals(expectedStart, partition.start(p));
            long count = partition.count(p);
            smallest = Math.min(smallest, count);
            largest = Math.max(largest, count);
            expectedStart += count;
        }
        assertEquals(total, expectedStart);
        assertTrue(largest - smallest <= 1);
        assertTrue(smallest >= 1);
    }

    @ParameterizedTest(name = "{0} items in {1} parts")
    @CsvSource({"266,1", "266,3", "266,8", "7,7", "10,3", "100000,256"})
    void theOwnerOfAnItemIsTheBlockThatHoldsIt(long total, int parts) {
        BlockPartition partition = new BlockPartition(total, parts);
        for (int p = 0; p < parts; p++) {
            assertEquals(p, partition.owner(partition.start(p)));
            assertEquals(p, partition.owner(partition.end(p) - 1));
        }
        assertThrows(IllegalArgumentException.class, () -> partition.owner(total));
    }

    @Test
    void largerBlocksComeFirst() {
        BlockPartition partition = new BlockPartition(10, 3);
        assertEquals(4, partition.count(0));
        assertEquals(3, partition.count(1));
        assertEquals(3, partition.count(2));
    }

    @Test
    void moreBlocksThanItemsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BlockPartition(3, 4));
    }
}
