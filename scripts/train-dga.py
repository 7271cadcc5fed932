#!/usr/bin/env python3
"""Trains the two models of examples/dga and writes examples/dga/analyzer/dga-model.txt.

    scripts/train-dga.py [--out FILE] [--eve FILE ...] [--dump FILE]

Python 3 standard library only; deterministic (fixed seeds).

The labelled list is assembled here, nothing is downloaded:
  benign  the DNS names Suricata logged in the repository's sample data (dns.rrname and the
          rrname of every query and answer in examples/data/eve-sample.jsonl and
          src/test/resources/eve/suricata-7.0.10-dev.jsonl.gz, plus the whole Suricata run they
          were cut from, /work/shared/data/eve, where that exists; or the --eve files), minus
          DNS-tunnel and malformed names, plus the well-known domains written down by hand in
          scripts/train-dga-domains.txt;
  dga     as many names, made by the generators below, written for this script in the style of
          published DGA families (Cryptolocker, Conficker, Bamital, Necurs, Simda, Suppobox):
          the same alphabet, length and TLD habits, not byte-for-byte replicas.
Features only see a name's registered label, so the list keeps one name per label.

Each name is reduced to its registered label (google in www.google.co.uk) and described by
FEATURES, computed exactly as examples/dga/analyzer/dga.lua computes them. A logistic regression
(gradient descent, L2) and a random forest (bootstrap, Gini, random feature subsets) are trained
on 75 % of the names and evaluated on the rest. The model file holds the Redis-ML commands that
load them (ML.LOGREG.SET, ML.FOREST.ADD: the analyzer sends each line with conn:command_line in
setup()), the feature definitions the analyzer needs (SUFFIXES, BIGRAMS, FEATURES) and CHECK
lines: names with the scores this script computed, which the analyzer re-computes in setup() to
prove that its features match.
"""

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_EVE = [
    os.path.join(REPO, "examples", "data", "eve-sample.jsonl"),
    os.path.join(REPO, "src", "test", "resources", "eve", "suricata-7.0.10-dev.jsonl.gz"),
]
# The whole Suricata run the repository's samples were cut from, used when it is there.
SHARED_EVE = "/work/shared/data/eve"
DEFAULT_OUT = os.path.join(REPO, "examples", "dga", "analyzer", "dga-model.txt")

FEATURES = ["len", "entropy", "digits", "vowels", "consonant_run", "unique", "rare_bigrams"]

# Public suffixes of two labels, so that the registered label of bbc.co.uk is bbc.
SUFFIXES = ["co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.jp",
            "ne.jp", "or.jp", "com.br", "com.cn", "net.cn", "org.cn", "com.tw", "co.kr",
            "co.in", "co.nz", "co.za", "com.mx", "com.tr", "com.ar", "co.il", "com.sg",
            "com.hk", "co.cc", "cz.cc", "in-addr.arpa", "ip6.arpa"]

VOWELS = set("aeiou")

# Well-known domains, written down by hand (big sites, infrastructure, vendors, CDNs, news,
# universities, and ordinary names with digits and hyphens, so that "has a digit" is not "DGA").
DOMAINS_FILE = os.path.join(HERE, "train-dga-domains.txt")


def well_known():
    names = []
    with open(DOMAINS_FILE, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                names.extend(line.split())
    return names


# Common English words: the bigram table and the word-list generator (a Suppobox-style DGA
# joins two of them, which is why such names are hard to tell from real ones).
WORDS = """
about above after again against air also always animal another answer around away back
because become before begin being below between black body book both bring brother build
business call came change child city close come company could country course cover cross
dark day different does dog door down draw during early earth east easy energy enough even
every example face fact family far farm father feel field find fire first follow food form
found four free friend from front full game general give good great green ground group grow
hand happen hard head hear heart heavy help here high hold home horse hour house however
hundred idea important inside island just keep kind king know land large last late learn
leave left letter life light line list listen little live long look love machine made main
make many mark measure might mile mind minute money month more morning mother mountain move
much music must name nation near need never next night north nothing notice number object
often open order other over page paper part pass people perhaps person picture place plant
play point power press pretty problem product pull question quick rain reach read ready real
record remember rest right river road rock room round rule said same school science second
seem sentence several shape short should show side simple since sing size sleep small snow
something sound south space special stand start state still stone stop story street strong
study such summer surface system table take talk teacher tell than thing think those though
thought thousand through time today together took toward travel tree true turn under unit
until usually very voice walk want warm watch water weather week weight well west what
wheel where which while white whole wind window winter without woman wonder wood word work
world write year young yellow silver golden market center forest garden bright clever shadow
""".split()


# ---- features: keep in step with examples/dga/analyzer/dga.lua ----

def registered_label(name):
    """The label left of the public suffix: google for www.google.co.uk."""
    labels = [p for p in name.lower().rstrip(".").split(".") if p]
    n = len(labels)
    if n == 0:
        return ""
    if n == 1:
        return labels[0]
    if n >= 3 and labels[n - 2] + "." + labels[n - 1] in SUFFIXES:
        return labels[n - 3]
    return labels[n - 2]


def features(name, bigrams):
    """FEATURES of the registered label of name."""
    label = registered_label(name)
    length = len(label)
    counts = {}
    for c in label:
        counts[c] = counts.get(c, 0) + 1
    entropy = 0.0
    for c in sorted(counts):
        p = counts[c] / length
        entropy = entropy - p * math.log(p) / math.log(2)
    digits = sum(1 for c in label if c.isdigit() and c.isascii())
    vowels = sum(1 for c in label if c in VOWELS)
    run = best_run = 0
    for c in label:
        if "a" <= c <= "z" and c not in VOWELS:
            run += 1
            best_run = max(best_run, run)
        else:
            run = 0
    pairs = rare = 0
    for i in range(length - 1):
        a, b = label[i], label[i + 1]
        if "a" <= a <= "z" and "a" <= b <= "z":
            pairs += 1
            if a + b not in bigrams:
                rare += 1
    values = [
        float(length),
        entropy,
        digits / length if length else 0.0,
        vowels / length if length else 0.0,
        float(best_run),
        len(counts) / length if length else 0.0,
        rare / pairs if pairs else 0.0,
    ]
    return [quantize(v) for v in values]


def quantize(v):
    """Six decimals: the analyzer then gets the very same values, whatever its log() rounds, and
    no forest threshold (a midpoint of two such values) lies within 1e-7 of a feature."""
    return math.floor(v * 1e6 + 0.5) / 1e6


def common_bigrams(texts, count):
    freq = {}
    for t in texts:
        for i in range(len(t) - 1):
            a, b = t[i], t[i + 1]
            if "a" <= a <= "z" and "a" <= b <= "z":
                freq[a + b] = freq.get(a + b, 0) + 1
    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    return sorted(bg for bg, _ in ranked[:count])


# ---- benign names ----

def shared_eve():
    if not os.path.isdir(SHARED_EVE):
        return []
    return sorted(os.path.join(SHARED_EVE, f) for f in os.listdir(SHARED_EVE)
                  if f.endswith(".jsonl") or f.endswith(".jsonl.gz"))


def eve_names(paths):
    names = set()
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if '"dns"' not in line:
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                dns = event.get("dns")
                if not isinstance(dns, dict):
                    continue
                found = [dns.get("rrname")]
                for key in ("queries", "answers", "authorities"):
                    for record in dns.get(key) or []:
                        if isinstance(record, dict):
                            found.append(record.get("rrname"))
                names.update(n.lower().rstrip(".") for n in found if isinstance(n, str))
    return names


def plausible_host(name):
    """Drops what is not an ordinary host name in test captures: DNS tunnels, fuzzed names."""
    if not name or "tunnel" in name or len(name) > 100:
        return False
    if any(not (c.isalnum() and c.isascii()) and c not in "-._" for c in name):
        return False
    return all(0 < len(label) <= 40 for label in name.split("."))


# ---- DGA generators, written for this script in the style of published families ----

def xorshift_letters(seed, length, alphabet):
    state = seed & 0xFFFFFFFF or 1
    out = []
    for _ in range(length):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        out.append(alphabet[state % len(alphabet)])
    return "".join(out)


def cryptolocker_style(day, i):
    """12-15 letters from a shift-register mix of the date; .com .net .biz .ru .org .co.uk .info."""
    seed = (day * 0x9E3779B1 + i * 0x85EBCA77) & 0xFFFFFFFF
    length = 12 + (seed >> 7) % 4
    tld = ["com", "net", "biz", "ru", "org", "co.uk", "info"][i % 7]
    return xorshift_letters(seed, length, "abcdefghijklmnopqrstuvwxy") + "." + tld


def conficker_style(day, i):
    """4-10 letters from a linear congruential generator seeded by the date; many TLDs."""
    state = (day * 1103515245 + i * 12345 + 7) & 0x7FFFFFFF
    letters = []
    state = (state * 1103515245 + 12345) & 0x7FFFFFFF
    length = 4 + state % 7
    for _ in range(length):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        letters.append(chr(ord("a") + (state >> 16) % 26))
    tlds = ["com", "net", "org", "info", "biz", "ws", "cn", "cc", "in", "tw", "us", "ag"]
    return "".join(letters) + "." + tlds[state % len(tlds)]


def bamital_style(day, i):
    """The MD5 of the date and a counter, 32 hex digits."""
    digest = hashlib.md5(("%d-%d-bamital" % (day, i)).encode()).hexdigest()
    return digest + "." + ["info", "org", "co.cc", "cz.cc"][i % 4]


def necurs_style(day, i):
    """7-21 letters from a 64-bit multiplicative generator."""
    state = (day * 6364136223846793005 + i * 1442695040888963407 + 1) & (2 ** 64 - 1)
    length = 7 + (state >> 33) % 15
    out = []
    for _ in range(length):
        state = (state * 6364136223846793005 + 1442695040888963407) & (2 ** 64 - 1)
        out.append(chr(ord("a") + (state >> 40) % 26))
    tlds = ["tj", "in", "jp", "tw", "ac", "cm", "la", "mn", "so", "sh", "sc", "nu", "nf",
            "mu", "ms", "mx", "ki", "im", "cx", "cc", "tv", "bz", "me", "eu", "de", "ru", "co"]
    return "".join(out) + "." + tlds[(state >> 20) % len(tlds)]


def simda_style(day, i):
    """Pronounceable: consonant-vowel pairs, 6-12 letters, a few TLDs."""
    consonants = "bcdfghklmnpqrstvxz"
    vowels = "aeiouy"
    rnd = random.Random(day * 7919 + i)
    length = rnd.randint(3, 6)
    name = "".join(rnd.choice(consonants) + rnd.choice(vowels) for _ in range(length))
    return name + "." + rnd.choice(["com", "net", "info", "eu", "ru"])


def suppobox_style(day, i):
    """Two dictionary words joined."""
    rnd = random.Random(day * 104729 + i)
    return rnd.choice(WORDS) + rnd.choice(WORDS) + ".net"


# Family and its share of the DGA names.
FAMILIES = [
    ("cryptolocker-style", cryptolocker_style, 0.20),
    ("conficker-style", conficker_style, 0.20),
    ("bamital-style", bamital_style, 0.10),
    ("necurs-style", necurs_style, 0.20),
    ("simda-style", simda_style, 0.20),
    ("suppobox-style", suppobox_style, 0.10),
]


def dga_names(total):
    """About total generated names, one registered label each, families by their share."""
    out = []
    for family, generate, share in FAMILIES:
        seen = set()
        i = 0
        while len(seen) < round(total * share):
            name = generate(20240101 + i // 20, i)
            i += 1
            if registered_label(name) not in seen:
                seen.add(registered_label(name))
                out.append((name, family))
    return out


def one_per_label(names):
    """Features only see the registered label: keep the first name of each label."""
    seen = set()
    out = []
    for name, source in names:
        label = registered_label(name)
        if label not in seen:
            seen.add(label)
            out.append((name, source))
    return out


# ---- logistic regression ----

def train_logistic(xs, ys, iterations=800, rate=1.0, l2=1e-3):
    n, d = len(xs), len(xs[0])
    mean = [sum(x[j] for x in xs) / n for j in range(d)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in xs) / n) or 1.0 for j in range(d)]
    zs = [[(x[j] - mean[j]) / std[j] for j in range(d)] for x in xs]
    w = [0.0] * d
    b = 0.0
    for _ in range(iterations):
        gw = [0.0] * d
        gb = 0.0
        for z, y in zip(zs, ys):
            p = sigmoid(b + sum(wj * zj for wj, zj in zip(w, z)))
            e = p - y
            gb += e
            for j in range(d):
                gw[j] += e * z[j]
        b -= rate * gb / n
        w = [w[j] - rate * (gw[j] / n + l2 * w[j]) for j in range(d)]
    # Fold the standardisation into the model, so it takes raw features.
    coefficients = [w[j] / std[j] for j in range(d)]
    intercept = b - sum(w[j] * mean[j] / std[j] for j in range(d))
    return intercept, coefficients


def sigmoid(z):
    if z < -700:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def logistic(model, x):
    intercept, coefficients = model
    z = intercept
    for c, v in zip(coefficients, x):
        z += c * v
    return sigmoid(z)


# ---- random forest (leaves hold the majority class, 0 or 1) ----

def gini(pos, total):
    if total == 0:
        return 0.0
    p = pos / total
    return 2 * p * (1 - p)


def build_tree(xs, ys, rnd, depth, max_depth, min_leaf, tries):
    pos = sum(ys)
    if depth == max_depth or len(ys) < 2 * min_leaf or pos == 0 or pos == len(ys):
        return ("leaf", 1 if 2 * pos > len(ys) else 0)
    best = None
    for j in rnd.sample(range(len(xs[0])), tries):
        order = sorted(range(len(xs)), key=lambda k: xs[k][j])
        left_pos = 0
        for cut in range(1, len(order)):
            left_pos += ys[order[cut - 1]]
            a, b = xs[order[cut - 1]][j], xs[order[cut]][j]
            if a == b or cut < min_leaf or len(order) - cut < min_leaf:
                continue
            right_pos = pos - left_pos
            score = (cut * gini(left_pos, cut)
                     + (len(order) - cut) * gini(right_pos, len(order) - cut))
            if best is None or score < best[0]:
                best = (score, j, (a + b) / 2)
    if best is None:
        return ("leaf", 1 if 2 * pos > len(ys) else 0)
    _, j, threshold = best
    left = [k for k in range(len(xs)) if xs[k][j] <= threshold]
    right = [k for k in range(len(xs)) if xs[k][j] > threshold]
    return ("split", j, threshold,
            build_tree([xs[k] for k in left], [ys[k] for k in left], rnd, depth + 1, max_depth,
                       min_leaf, tries),
            build_tree([xs[k] for k in right], [ys[k] for k in right], rnd, depth + 1,
                       max_depth, min_leaf, tries))


def train_forest(xs, ys, trees=25, max_depth=6, min_leaf=3, seed=7):
    rnd = random.Random(seed)
    tries = max(1, round(math.sqrt(len(xs[0]))))
    forest = []
    for _ in range(trees):
        sample = [rnd.randrange(len(xs)) for _ in range(len(xs))]
        forest.append(build_tree([xs[k] for k in sample], [ys[k] for k in sample], rnd, 0,
                                 max_depth, min_leaf, tries))
    return forest


def tree_leaf(node, x):
    while node[0] == "split":
        node = node[3] if x[node[1]] <= node[2] else node[4]
    return node[1]


def forest_score(forest, x):
    """REGRESSION: the mean leaf, i.e. the share of trees that say DGA."""
    return sum(tree_leaf(t, x) for t in forest) / len(forest)


def tree_nodes(node, path="."):
    if node[0] == "leaf":
        return [path, "LEAF", str(node[1])]
    return ([path, "NUMERIC", FEATURES[node[1]], repr(node[2])]
            + tree_nodes(node[3], path + "l") + tree_nodes(node[4], path + "r"))


# ---- main ----

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--eve", action="append", help="EVE JSON files (.jsonl or .jsonl.gz)")
    parser.add_argument("--dump", help="also write the labelled list (name, label, family) here")
    args = parser.parse_args()

    sources = args.eve or DEFAULT_EVE + shared_eve()
    eve = sorted(n for n in eve_names(sources) if plausible_host(n))
    known = well_known()
    benign = one_per_label([(n, "eve") for n in eve] + [(n, "well-known") for n in known])
    dga = dga_names(len(benign))
    bigrams = common_bigrams(WORDS + [registered_label(n) for n in known], 150)

    rows = [(n, 0, src) for n, src in benign] + [(n, 1, fam) for n, fam in dga]
    rnd = random.Random(2024)
    rnd.shuffle(rows)
    cut = len(rows) * 3 // 4
    train, test = rows[:cut], rows[cut:]
    x_train = [features(n, bigrams) for n, _, _ in train]
    y_train = [y for _, y, _ in train]

    lr = train_logistic(x_train, y_train)
    rf = train_forest(x_train, y_train)

    def accuracy(score):
        hits = sum(1 for n, y, _ in test if (score(features(n, bigrams)) >= 0.5) == (y == 1))
        return hits / len(test)

    def combined(x):
        return (logistic(lr, x) + forest_score(rf, x)) / 2

    count = {}
    for _, source in benign + dga:
        count[source] = count.get(source, 0) + 1
    report = [
        "EVE sources: " + ", ".join(os.path.relpath(p, REPO) if p.startswith(REPO) else p
                                   for p in sources),
        "labelled names, one per registered label: %d benign (%d from EVE, %d well-known),"
        " %d DGA (%s)" % (len(benign), count.get("eve", 0), count.get("well-known", 0), len(dga),
                          ", ".join("%d %s" % (count[f], f) for f, _, _ in FAMILIES)),
        "held-out accuracy (%d names, score >= 0.5 means DGA): logistic %.3f, forest %.3f,"
        " mean of both %.3f" % (len(test), accuracy(lambda x: logistic(lr, x)),
                                accuracy(lambda x: forest_score(rf, x)), accuracy(combined)),
    ]
    for family in ["eve", "well-known"] + [f for f, _, _ in FAMILIES]:
        members = [n for n, _, f in test if f == family]
        if members:
            flagged = sum(1 for n in members if combined(features(n, bigrams)) >= 0.5)
            report.append("  %-19s %4d held out, %5.1f %% scored as DGA"
                          % (family, len(members), 100.0 * flagged / len(members)))

    digest = hashlib.sha256()
    lines = []
    lr_line = ["%.17g" % lr[0]] + ["%.17g" % c for c in lr[1]]
    digest.update(" ".join(lr_line).encode())
    tree_lines = [" ".join(tree_nodes(t)) for t in rf]
    for t in tree_lines:
        digest.update(t.encode())
    version = digest.hexdigest()[:12]
    lr_key, rf_key = "dga:lr:" + version, "dga:rf:" + version

    lines.append("# DGA models of examples/dga, written by scripts/train-dga.py: do not edit.")
    lines.append("# Lines: FEATURES/SUFFIXES/BIGRAMS define the features (see the script), ML.*")
    lines.append("# lines are sent as they are with conn:command_line in setup(), CHECK lines")
    lines.append("# give names with their logistic and forest scores, re-computed in setup().")
    lines.extend("# " + r for r in report)
    lines.append("FEATURES " + " ".join(FEATURES))
    lines.append("SUFFIXES " + " ".join(SUFFIXES))
    lines.append("BIGRAMS " + " ".join(bigrams))
    lines.append("ML.LOGREG.SET %s %s" % (lr_key, " ".join(lr_line)))
    for i, t in enumerate(tree_lines):
        lines.append("ML.FOREST.ADD %s %d %s" % (rf_key, i, t))
    checks = ["www.google.com", "suricata.io", "bbc.co.uk", "1.0.0.127.in-addr.arpa",
              "WWW.Example.COM.", "x1-2_3.test",
              cryptolocker_style(20240301, 3), conficker_style(20240301, 4),
              bamital_style(20240301, 5), necurs_style(20240301, 6), simda_style(20240301, 7),
              suppobox_style(20240301, 8)]
    for n in checks:
        x = features(n, bigrams)
        lines.append("CHECK %s %.17g %.17g" % (n, logistic(lr, x), forest_score(rf, x)))

    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for n, y, src in rows:
                f.write("%s\t%s\t%s\n" % (n, "dga" if y else "benign", src))
    for r in report:
        print(r)
    print("wrote %s (%d bytes)" % (args.out, os.path.getsize(args.out)))


if __name__ == "__main__":
    sys.exit(main())
