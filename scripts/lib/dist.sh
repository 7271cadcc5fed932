# Sourced by the scripts in scripts/: builds the distribution tree (target/dragonfly-mle-VERSION-bin/
# dragonfly-mle-VERSION: bin/, lib/ with the application jar and Flink's jars, conf/, examples/)
# when it is missing or older than the sources, and sets $dist to it and $jar to its application
# jar. The launcher in it needs no Maven; only this check does.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The newest distribution tree under target/, or nothing.
find_dist() {
  local d
  d=$(ls -dt "$here"/target/dragonfly-mle-*-bin/dragonfly-mle-*/ 2>/dev/null | head -1)
  [ -n "$d" ] && echo "${d%/}"
  return 0
}

ensure_dist() {
  dist=$(find_dist)
  if [ -z "$dist" ] || [ ! -f "$dist/lib/dragonfly-mle.jar" ] || [ -n "$(find "$here/src/main" \
    "$here/src/dist" "$here/src/assembly" "$here/flink-conf" "$here/pom.xml" \
    -newer "$dist/lib/dragonfly-mle.jar" -print -quit 2>/dev/null)" ]; then
    echo "dragonfly-mle: building the engine (the first build downloads dependencies and takes a few minutes)" >&2
    (cd "$here" && mvn -B -q -DskipTests -Dspotless.check.skip=true -Ddragonfly.tarball.skip=true \
      package) >&2
    dist=$(find_dist)
  fi
  jar="$dist/lib/dragonfly-mle.jar"
}
