package org.dragonflymle.operator;

/** What a due {@code timer_event} does: deliver its value to analyzer {@code tag}. */
interface TimerDelivery {
    void deliver(String tag, byte[] json);
}
