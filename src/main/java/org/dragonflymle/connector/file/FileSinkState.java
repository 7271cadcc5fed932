package org.dragonflymle.connector.file;

/**
 * What a {@code file://} output checkpoints: which file it was appending to and how long that file
 * was once every line up to the checkpoint had been written and synced. A restore cuts the file
 * back to this length, so lines written after the checkpoint (and written again after the restore)
 * are not in it twice.
 *
 * @param path the output path, to notice a restore into a job whose output moved
 * @param fileKey the file system's key of the file (device and inode), null where there is none;
 *     tells whether a rotation (SIGHUP) has put another file at {@code path} since
 * @param length the committed length in bytes
 */
public record FileSinkState(String path, String fileKey, long length) {}
