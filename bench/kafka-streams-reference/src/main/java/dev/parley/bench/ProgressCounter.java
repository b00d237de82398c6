package dev.parley.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The first node of each workload: counts input records, passes them on unchanged, and once the
 * target is reached asks Kafka Streams to commit right away (instead of at the next
 * commit.interval.ms), so the measured time ends with every output flushed and every input
 * offset committed, like the Node side's `waitUntilCaughtUp()` + `commit()`.
 */
final class ProgressCounter<K, V> implements FixedKeyProcessorSupplier<K, V, V> {
  private final long target;
  private final AtomicLong seen = new AtomicLong();
  private final CountDownLatch reached = new CountDownLatch(1);

  ProgressCounter(long target) {
    this.target = target;
  }

  /** Waits until `target` records went through; false on timeout. */
  boolean await(long timeoutMs) throws InterruptedException {
    return reached.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  long seen() {
    return seen.get();
  }

  @Override
  public FixedKeyProcessor<K, V, V> get() {
    return new FixedKeyProcessor<>() {
      private FixedKeyProcessorContext<K, V> context;

      @Override
      public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
      }

      @Override
      public void process(FixedKeyRecord<K, V> record) {
        context.forward(record);
        if (seen.incrementAndGet() == target) {
          context.commit();
          reached.countDown();
        }
      }
    };
  }
}
