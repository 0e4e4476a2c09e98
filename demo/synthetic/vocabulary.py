"""Word lists and templates for the synthetic sample: tags that accompany the topic tags, baseline
tag families, and the pieces titles and bodies are assembled from. Data only; no real post is
copied."""

from __future__ import annotations

# (tag, weight, first year it is used) for ordinary tags on topic questions, per family.
HUGGINGFACE_COMPANION_TAGS: tuple[tuple[str, float, int], ...] = (
    ("python", 8.0, 2018),
    ("pytorch", 3.5, 2018),
    ("nlp", 3.0, 2018),
    ("tensorflow", 1.5, 2018),
    ("deep-learning", 1.5, 2018),
    ("machine-learning", 1.2, 2018),
    ("transformer-model", 1.0, 2019),
    ("keras", 0.5, 2018),
    ("text-classification", 0.5, 2018),
    ("word-embedding", 0.4, 2018),
    ("sentence-similarity", 0.4, 2018),
    ("tokenize", 0.4, 2018),
    ("named-entity-recognition", 0.3, 2018),
    ("google-colaboratory", 0.3, 2018),
    ("huggingface-trainer", 0.3, 2021),
    ("large-language-model", 0.6, 2023),
    ("llama", 0.8, 2023),
    ("pandas", 0.2, 2018),
    ("cuda", 0.2, 2018),
    ("transfer-learning", 0.2, 2018),
)
OPENAI_COMPANION_TAGS: tuple[tuple[str, float, int], ...] = (
    ("python", 6.0, 2018),
    ("javascript", 1.2, 2018),
    ("node.js", 1.0, 2018),
    ("langchain", 1.0, 2023),
    ("large-language-model", 0.6, 2023),
    ("artificial-intelligence", 0.6, 2018),
    ("azure-openai", 0.3, 2023),
    ("reactjs", 0.3, 2018),
    ("speech-recognition", 0.3, 2022),
    ("php", 0.2, 2018),
    ("next.js", 0.2, 2018),
    ("embedding", 0.3, 2018),
    ("llama-index", 0.2, 2023),
    ("nlp", 0.4, 2018),
)

# Baseline families: (tags with weights; the first is the family's main tag, family weight).
BASELINE_FAMILIES: tuple[tuple[tuple[tuple[str, float], ...], float], ...] = (
    (
        (
            ("python", 8.0),
            ("pandas", 1.5),
            ("django", 1.0),
            ("numpy", 0.8),
            ("python-3.x", 1.2),
            ("dataframe", 0.8),
            ("flask", 0.5),
            ("list", 0.4),
            ("dictionary", 0.3),
        ),
        5.0,
    ),
    (
        (
            ("javascript", 8.0),
            ("reactjs", 2.5),
            ("node.js", 1.5),
            ("html", 1.5),
            ("css", 1.0),
            ("typescript", 1.0),
            ("jquery", 0.6),
            ("next.js", 0.4),
            ("vue.js", 0.5),
            ("angular", 0.6),
        ),
        5.5,
    ),
    (
        (
            ("java", 8.0),
            ("spring-boot", 1.5),
            ("spring", 0.8),
            ("android", 0.3),
            ("maven", 0.4),
            ("hibernate", 0.4),
            ("kotlin", 0.3),
        ),
        3.0,
    ),
    (
        (
            ("c#", 8.0),
            (".net", 2.5),
            ("asp.net-core", 1.0),
            ("wpf", 0.6),
            ("entity-framework", 0.6),
            ("unity-game-engine", 0.6),
            ("linq", 0.3),
            ("winforms", 0.3),
        ),
        2.2,
    ),
    (
        (
            ("c++", 8.0),
            ("c++17", 0.6),
            ("qt", 0.5),
            ("templates", 0.4),
            ("c", 0.6),
            ("cmake", 0.4),
            ("opencv", 0.3),
        ),
        1.3,
    ),
    (
        (
            ("sql", 8.0),
            ("mysql", 2.0),
            ("postgresql", 1.2),
            ("sql-server", 1.2),
            ("oracle-database", 0.4),
            ("database", 0.6),
            ("sqlite", 0.3),
        ),
        1.8,
    ),
    (
        (("php", 8.0), ("laravel", 1.5), ("wordpress", 1.0), ("mysql", 0.8), ("html", 0.5)),
        1.6,
    ),
    # Mobile is a literature topic (§V) calibrated on baseline questions (`literature.py`). This
    # family and Java's `android` are weighted so that about 5% of the baseline carries a mobile
    # tag on its own, a plausible share for Stack Overflow since 2018, which leaves the calibration
    # a few hundred questions to choose.
    (
        (
            ("android", 8.0),
            ("kotlin", 2.0),
            ("flutter", 2.0),
            ("dart", 1.0),
            ("ios", 1.0),
            ("swift", 1.2),
        ),
        0.6,
    ),
    (
        (
            ("docker", 4.0),
            ("kubernetes", 1.5),
            ("git", 1.5),
            ("linux", 1.5),
            ("bash", 1.5),
            ("amazon-web-services", 1.5),
            ("azure", 1.0),
        ),
        1.2,
    ),
)

SITE_TAG_COUNTS: dict[str, int] = {
    "python": 2_190_000,
    "javascript": 2_520_000,
    "java": 1_910_000,
    "c#": 1_610_000,
    "c++": 806_000,
    ".net": 335_000,
    "reactjs": 475_000,
    "sql": 672_000,
}
"""Site-wide tag totals of the order Stack Overflow showed in 2023 (rounded; synthetic)."""
TAGS_WITH_SYNONYMS = frozenset(
    {
        "python",
        "javascript",
        "java",
        "c#",
        "c++",
        ".net",
        "reactjs",
        "sql",
        "huggingface-transformers",
    }
    | {"bert-language-model", "openai-api", "pre-trained-model", "gpt-3", "nlp", "pytorch"}
)

# Title pieces; topic templates use {model}, {task}, {thing}, {error}, {lib}, {action}, {openai}.
MODELS = (
    "BERT",
    "DistilBERT",
    "RoBERTa",
    "GPT-2",
    "T5",
    "BART",
    "XLNet",
    "ALBERT",
    "DeBERTa",
    "Longformer",
    "a pre-trained BERT",
    "a Hugging Face model",
    "my fine-tuned model",
    "bert-base-uncased",
    "gpt2-medium",
    "t5-small",
    "facebook/bart-large-cnn",
    "sentence-transformers/all-MiniLM-L6-v2",
)
OPENAI_MODELS = (
    "gpt-3.5-turbo",
    "text-davinci-003",
    "GPT-4",
    "the ChatCompletion endpoint",
    "the Completions API",
    "Whisper",
    "the embeddings endpoint",
    "a fine-tuned davinci model",
    "the OpenAI Python library",
    "the OpenAI Node.js client",
)
TASKS = (
    "text classification",
    "named entity recognition",
    "question answering",
    "summarization",
    "sentiment analysis",
    "sentence similarity",
    "masked language modelling",
    "token classification",
    "translation",
    "text generation",
    "multi-label classification",
    "semantic search",
)
THINGS = (
    "the attention mask",
    "token_type_ids",
    "the last hidden state",
    "the [CLS] embedding",
    "padding and truncation",
    "the tokenizer vocabulary",
    "special tokens",
    "the learning rate scheduler",
    "gradient accumulation",
    "the logits",
    "the max_length argument",
    "the cache directory",
    "the model config",
    "the output of the pipeline",
    "batch size",
    "the loss",
)
ERRORS = (
    "RuntimeError: CUDA out of memory",
    "ValueError: too many values to unpack",
    "KeyError: 'input_ids'",
    "OSError: Can't load tokenizer",
    "IndexError: index out of range in self",
    "AttributeError: 'NoneType' object has no attribute 'encode'",
    "TypeError: forward() got an unexpected keyword argument",
    "RateLimitError",
    "InvalidRequestError: This model's maximum context length is exceeded",
    "a 429 Too Many Requests response",
    "a shape mismatch",
    "NaN loss",
)
LIBS = (
    "PyTorch",
    "TensorFlow",
    "Keras",
    "the Trainer API",
    "Accelerate",
    "PEFT",
    "ONNX",
    "Google Colab",
    "Flask",
    "FastAPI",
    "LangChain",
    "Node.js",
)
ACTIONS = (
    "fine-tune",
    "load",
    "save",
    "quantize",
    "export",
    "evaluate",
    "freeze the layers of",
    "run inference with",
    "deploy",
    "speed up",
)
TOPIC_TEMPLATES = (
    "How to {action} {model} for {task}?",
    "{error} when I {action} {model}",
    "Why does {model} return different results for {thing}?",
    "How can I get {thing} from {model} with {lib}?",
    "{model} {task} gives low accuracy after training",
    "Can't {action} {model} in {lib}",
    "What is the difference between {thing} and the pooler output in {model}?",
    "Using {model} for {task} on a large dataset",
    "{lib} & {model}: {error}",
    "How do I pass {thing} to {model}?",
    "Why doesn't {model} use the GPU when I {action} it?",
    'Meaning of "{thing}" in {model}',
    "{error} while training {model} on {task}",
    "Is it possible to {action} {model} without internet access?",
    "Why is {model} slow for {task}?",
    "How to handle {thing} when batching inputs for {model}?",
    "Why does {model} predict <unk> for every <mask> token?",
)
OPENAI_TEMPLATES = (
    "How to stream the response of {openai} in {lib}?",
    "{error} when calling {openai}",
    "How can I keep conversation context with {openai}?",
    "Why does {openai} return an empty response?",
    "How to count tokens before sending a prompt to {openai}?",
    "{openai} ignores the system message",
    "How to use {openai} with {lib}?",
    "Can't import openai after upgrading: {error}",
    "How to get JSON output from {openai}?",
    "{openai} is very slow & times out",
    "Transcribing long audio files with {openai}",
    'Why doesn\'t {openai} follow my "stop" sequence?',
)
BASELINE_THINGS = (
    "a list of dictionaries",
    "nested objects",
    "a date string",
    "the response body",
    "a foreign key",
    "an array of strings",
    "environment variables",
    "a background task",
    "user input",
    "a config file",
    "the build output",
    "a CSV file",
    "duplicate rows",
    "a form submit",
    "an async callback",
    "the session cookie",
    "a large JSON file",
    "multiple checkboxes",
    "a nested loop",
    "timezone offsets",
    "an image upload",
    "a paginated API",
    "a dropdown list",
    "the query string",
    "a websocket message",
    "an enum value",
)
BASELINE_CONTEXTS = (
    "",
    "",
    "",
    "on Windows",
    "after upgrading",
    "inside a loop",
    "in Docker",
    "without a library",
    "in production only",
    "with async code",
    "for large inputs",
    "on the first request",
    "in unit tests",
    "from another module",
    "with a custom class",
    "behind a proxy",
)
"""Optional qualifiers appended to baseline titles, for variety."""
BASELINE_TEMPLATES = (
    "How to sort {thing} in {tag}?",
    "{tag}: why is {thing} undefined after the update?",
    "Converting {thing} to JSON in {tag}",
    "How do I read {thing} with {tag}?",
    "{tag} error: can't parse {thing}",
    "Best way to cache {thing} in {tag}",
    "Why doesn't my {tag} code update {thing}?",
    "Filter {thing} by date in {tag}",
    "{tag} & {thing}: unexpected null value",
    "How can I test {thing} in {tag}?",
    "Passing {thing} between functions in {tag}",
    "What's the fastest way to merge {thing} in {tag}?",
)
HTML_TITLES = (
    "How to use <script> tag with BERT?",
    "Rendering <div> output from openai-api in a template",
    "Why does the tokenizer split <br> tags & entities?",
    'BERT returns "<pad>" tokens in the output',
    "Passing <input> values to a Hugging Face pipeline",
)
"""Raw titles with markup a report must escape; always present in the topic sample."""

SENTENCES = (
    "I am trying to {action} {model} for {task}.",
    "I followed the documentation, but the result is not what I expect.",
    "The same code worked last week, so I suspect a version change.",
    "Here is what I tried so far.",
    "I am on Python 3.10 with the latest releases of the libraries.",
    "Any pointers would be appreciated.",
    "The training loss stops decreasing after the first epoch.",
    "I could not find an example that covers {thing}.",
    "It fails with {error}.",
    "Is there a recommended way to do this?",
)
BASELINE_SENTENCES = (
    "I have {thing} and need to process it in {tag}.",
    "My code works locally but fails on the server.",
    "I searched for similar questions but none of the answers helped.",
    "Here is a minimal example.",
    "What am I missing?",
    "The documentation is not clear about this case.",
)
CODE_SNIPPETS = (
    "\n".join(
        [
            "from transformers import AutoTokenizer, AutoModel",
            "",
            'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
            'model = AutoModel.from_pretrained("bert-base-uncased")',
            'inputs = tokenizer(text, return_tensors="pt")',
            "outputs = model(**inputs)",
        ]
    ),
    "trainer = Trainer(model=model, args=training_args, train_dataset=train_ds)\ntrainer.train()",
    "\n".join(
        [
            "response = openai.ChatCompletion.create(",
            '    model="gpt-3.5-turbo",',
            '    messages=[{"role": "user", "content": prompt}],',
            ")",
            'print(response["choices"][0]["message"]["content"])',
        ]
    ),
    "if len(tokens) > 512 and mask is not None:\n    tokens = tokens[:512]",
    "for batch in loader:\n    loss = model(**batch).loss\n    loss.backward()",
)
BASELINE_CODE_SNIPPETS = (
    "df = pd.read_csv(path)\nprint(df.groupby('id').sum())",
    "const items = data.filter(x => x.value > 0 && x.active);",
    "SELECT id, COUNT(*) FROM orders GROUP BY id HAVING COUNT(*) > 1;",
    "List<String> names = users.stream().map(User::getName).toList();",
    "var result = await client.GetAsync<Response>(url);",
    "std::vector<int> v{1, 2, 3};\nfor (auto& x : v) { x *= 2; }",
)
FIRST_NAMES = (
    "Alex",
    "Priya",
    "Chen",
    "Maria",
    "Omar",
    "Lena",
    "Tom",
    "Aisha",
    "Kenji",
    "Sofia",
    "Ivan",
    "Fatima",
    "Lucas",
    "Mei",
    "Arjun",
    "Nora",
    "Diego",
    "Yuki",
    "Sam",
    "Elif",
)
HANDLE_WORDS = (
    "coder",
    "dev",
    "ml",
    "data",
    "nlp",
    "byte",
    "stack",
    "pixel",
    "tensor",
    "quant",
    "null",
    "lambda",
)
CLOSED_REASONS = (
    "Duplicate",
    "Needs details or clarity",
    "Needs more focus",
    "Not suitable for this site",
)

# Planted themes (this package's README, "Planted themes"): per topic, (theme, weight,
# vocabulary). A question of the topic gets one theme, drawn with exact counts in proportion to
# the weights, and two or three sentences built from its vocabulary (`THEME_SENTENCES`), so that
# a topic model over the bodies has themes to recover. Within a topic the vocabularies are
# disjoint; every word is lower case, at least three letters and not an English stop word, and no
# word is in `THEME_SENTENCES`.
# `ptm`'s themes are the sub-categories of the paper's taxonomy (§VI-C, the seed
# `dbt_project/seeds/taxonomy/taxonomy_codes.csv`), weighted with their published shares; the
# literature topics' themes are plausible sub-areas with weights of our own.
PLANTED_THEMES: dict[str, tuple[tuple[str, float, tuple[str, ...]], ...]] = {
    "ptm": (
        (
            "Model Construction",
            0.1975,
            (
                "architecture", "layer", "encoder", "decoder", "attention", "heads", "hidden",
                "embedding", "embeddings", "vectors", "pooling", "pooler", "classifier", "dense",
                "dropout", "activation", "transformer", "blocks", "dimension", "cosine",
                "similarity", "tokenizer", "wordpiece", "subword", "vocabulary", "sentencepiece",
                "lookup", "frozen", "backbone", "projection", "representation", "contextual",
            ),
        ),
        (
            "Data Processing",
            0.1062,
            (
                "input", "inputs", "dataset", "csv", "column", "columns", "label", "labels",
                "preprocessing", "cleaning", "prompt", "prompts", "template", "instruction",
                "output", "outputs", "formatting", "padding", "truncation", "sequences",
                "collator", "augmentation", "imbalanced", "balancing", "samples", "shuffle",
                "features", "annotated",
            ),
        ),
        (
            "Model Training",
            0.1036,
            (
                "training", "trainer", "tuning", "epoch", "epochs", "loss", "optimizer",
                "learning", "scheduler", "warmup", "gradient", "gradients", "backward",
                "converge", "convergence", "overfitting", "validation", "accuracy", "batch",
                "steps", "adam", "decay", "lora", "adapter", "peft", "plateau", "stopping",
                "regularization", "hyperparameters",
            ),
        ),
        (
            "Model Loading",
            0.0493,
            (
                "loading", "loaded", "load", "pretrained", "checkpoint", "checkpoints",
                "directory", "folder", "local", "disk", "safetensors", "state", "dict", "shards",
                "sharded", "path", "filename", "missing", "keys", "unexpected", "mismatched",
                "strict", "automodel", "autotokenizer", "instantiate", "restore", "revision",
            ),
        ),
        (
            "Memory Management",
            0.0370,
            (
                "memory", "gpu", "gpus", "cpu", "ram", "vram", "cuda", "allocated", "allocate",
                "reserved", "oom", "gigabytes", "gib", "mib", "leak", "tpu", "precision",
                "quantization", "bitsandbytes", "offload", "consumption", "nvidia",
                "fragmentation", "peak", "swap", "utilization", "footprint", "device",
            ),
        ),
        (
            "Other Challenges related to Model Lifecycle Management",
            0.0642,
            (
                "save", "saving", "saved", "export", "onnx", "tflite", "torchscript", "coreml",
                "convert", "conversion", "deploy", "deployment", "production", "serving",
                "inference", "latency", "throughput", "sagemaker", "container", "flask",
                "fastapi", "testing", "evaluate", "evaluation", "metrics", "benchmark",
                "predictions", "pickle", "serialize",
            ),
        ),
        (
            "Usage of Model API",
            0.1383,
            (
                "openai", "completion", "completions", "chat", "chatcompletion", "request",
                "response", "temperature", "tokens", "parameter", "parameters", "messages",
                "role", "system", "assistant", "stream", "streaming", "endpoint", "davinci",
                "turbo", "gpt", "whisper", "transcription", "pipeline", "generate", "generation",
                "beam", "penalty", "langchain", "agent",
            ),
        ),
        (
            "Environment",
            0.1136,
            (
                "install", "installed", "pip", "conda", "anaconda", "version", "versions",
                "upgrade", "downgrade", "package", "packages", "module", "import", "imports",
                "dependency", "dependencies", "compatible", "compatibility", "virtualenv", "venv",
                "requirements", "wheel", "windows", "ubuntu", "macos", "driver", "toolkit",
                "jupyter", "notebook", "kernel",
            ),
        ),
        (
            "Other Challenges related to Coding-related Issues",
            0.0716,
            (
                "syntax", "indentation", "bracket", "parenthesis", "typo", "invalid", "warning",
                "warnings", "deprecated", "deprecation", "suppress", "silence", "logging",
                "verbosity", "logger", "futurewarning", "multiprocessing", "spawn", "fork",
                "workers", "parallelism", "processes", "subprocess", "deadlock", "hangs",
            ),
        ),
        (
            "New Requirement",
            0.0568,
            (
                "support", "supported", "unsupported", "custom", "customize", "extend",
                "implement", "implementation", "alternative", "workaround", "limitation",
                "capability", "modify", "override", "subclass", "patch", "positional",
                "feature", "plugin", "integrate", "integration", "multilingual", "languages",
                "requirement", "scenario",
            ),
        ),
        (
            "Tutorial Seeking",
            0.0420,
            (
                "tutorial", "tutorials", "guide", "beginner", "course", "book", "resources",
                "learn", "explanation", "explain", "understand", "concept", "concepts",
                "intuition", "recommend", "introduction", "blog", "video", "paper", "papers",
                "article", "roadmap", "overview", "walkthrough", "newbie",
            ),
        ),
        (
            "Model Downloading",
            0.0123,
            (
                "download", "downloading", "downloaded", "hub", "cache", "cached", "offline",
                "proxy", "mirror", "url", "internet", "connection", "timeout", "firewall",
                "gated", "access", "login", "repository", "repo", "snapshot", "resume",
                "bandwidth", "network", "lfs", "clone", "certificate",
            ),
        ),
    ),
    "bigdata": (
        (
            "Spark DataFrames",
            0.25,
            (
                "dataframe", "dataframes", "rdd", "withcolumn", "groupby", "aggregate",
                "aggregation", "udf", "join", "joins", "schema", "coalesce", "window", "pivot",
                "explode", "struct", "sparksql", "collect", "transformation", "transformations",
                "lazy", "broadcast", "repartition", "flatmap", "distinct", "nulls", "cast",
            ),
        ),
        (
            "Streaming and Kafka",
            0.20,
            (
                "kafka", "producer", "consumer", "consumers", "offset", "kinesis", "broker",
                "brokers", "stream", "streaming", "flink", "storm", "structured", "watermark",
                "event", "events", "zookeeper", "ksql", "windowing", "lag", "rebalance",
                "commit", "serializer", "deserializer", "avro", "realtime",
            ),
        ),
        (
            "Storage and file formats",
            0.15,
            (
                "hdfs", "parquet", "orc", "iceberg", "namenode", "datanode", "block", "blocks",
                "replication", "directory", "compression", "snappy", "gzip", "small", "files",
                "delta", "storage", "bucket", "partitioned", "sequencefile", "ingest", "lake",
                "hudi", "overwrite", "append",
            ),
        ),
        (
            "Cluster resources",
            0.20,
            (
                "yarn", "executor", "executors", "driver", "cores", "memory", "container",
                "containers", "nodes", "cluster", "resourcemanager", "allocation", "dynamic",
                "overhead", "heap", "jvm", "autoscaling", "standalone", "mesos", "kubernetes",
                "master", "workers", "configuration", "garbage", "collection", "spill",
            ),
        ),
        (
            "Hive and HBase tables",
            0.12,
            (
                "hive", "table", "tables", "metastore", "hiveql", "tez", "queries", "external",
                "managed", "insert", "hbase", "rowkey", "region", "regionserver", "scan",
                "family", "impala", "presto", "beeline", "jdbc", "thrift", "bucketing", "ddl",
                "views", "catalog",
            ),
        ),
        (
            "MapReduce jobs",
            0.08,
            (
                "mapreduce", "mapper", "reducer", "combiner", "job", "jobs", "map", "reduce",
                "shuffle", "secondary", "emit", "reducers", "pairs", "counters", "inputformat",
                "outputformat", "writable", "wordcount", "pig", "oozie", "workflow", "tasks",
                "attempt", "speculative", "splits",
            ),
        ),
    ),
    "concurrency": (
        (
            "Threads and thread pools",
            0.25,
            (
                "thread", "threads", "pool", "executorservice", "runnable", "callable", "spawn",
                "daemon", "threadpool", "worker", "workers", "fixedthreadpool", "tasks",
                "threadfactory", "shutdown", "interrupt", "sleep", "priority", "scheduling",
                "threadlocal", "terminate", "join", "pthread", "lifecycle", "timer",
            ),
        ),
        (
            "Locks and synchronisation",
            0.22,
            (
                "lock", "locks", "mutex", "synchronized", "monitor", "semaphore", "reentrant",
                "critical", "section", "acquire", "release", "unlock", "spinlock", "readwrite",
                "condition", "wait", "notify", "notifyall", "signal", "barrier", "latch",
                "countdown", "fairness", "contention", "guard",
            ),
        ),
        (
            "Deadlocks and races",
            0.15,
            (
                "deadlock", "deadlocks", "race", "races", "livelock", "starvation",
                "interleaving", "reproduce", "intermittent", "nondeterministic", "heisenbug",
                "corrupted", "inconsistent", "stale", "sanitizer", "detector", "hang", "hangs",
                "stuck", "freeze", "tsan", "debugging", "dump", "randomly", "occasionally",
            ),
        ),
        (
            "Atomics and the memory model",
            0.12,
            (
                "atomic", "atomics", "volatile", "memory", "fence", "fences", "cas", "compare",
                "exchange", "lockfree", "happens", "relaxed", "consistency", "sequential",
                "reorder", "reordering", "cacheline", "coherence", "sharing", "increment",
                "counter", "concurrenthashmap", "aba", "visibility", "ordering",
            ),
        ),
        (
            "Async and futures",
            0.16,
            (
                "asynchronous", "await", "future", "futures", "promise", "promises", "coroutine",
                "coroutines", "asyncio", "event", "suspend", "continuation", "callbacks",
                "completablefuture", "nonblocking", "blocking", "reactive", "observable",
                "rxjava", "goroutine", "goroutines", "channel", "channels", "select", "dispatch",
            ),
        ),
        (
            "Parallel processing",
            0.10,
            (
                "parallel", "parallelism", "multiprocessing", "processes", "cores", "cpu",
                "speedup", "openmp", "mpi", "vectorize", "simd", "gpu", "cuda", "chunk",
                "chunks", "divide", "workload", "scalability", "amdahl", "throughput",
                "forkjoin", "parallelstream", "partition", "cluster", "distributed",
            ),
        ),
    ),
    "mobile": (
        (
            "Layouts and UI",
            0.28,
            (
                "layout", "layouts", "constraintlayout", "recyclerview", "listview", "button",
                "buttons", "textview", "imageview", "screen", "screens", "storyboard",
                "autolayout", "swiftui", "jetpack", "compose", "toolbar", "navigation", "tab",
                "scroll", "scrolling", "animation", "keyboard", "margin", "dark", "tableview",
            ),
        ),
        (
            "Networking",
            0.17,
            (
                "retrofit", "okhttp", "alamofire", "urlsession", "http", "https", "httpclient",
                "moshi", "decodable", "parsing", "volley", "rest", "interceptor", "apis",
                "endpoint", "urlrequest", "ktor", "multipart", "cleartext", "timeout", "graphql",
                "codable", "gson", "serialization", "offline",
            ),
        ),
        (
            "Lifecycle and background work",
            0.18,
            (
                "activity", "activities", "lifecycle", "fragment", "fragments", "intent",
                "intents", "service", "services", "doze", "foreground", "workmanager",
                "broadcast", "receiver", "viewmodel", "livedata", "oncreate", "onresume",
                "rotation", "savedinstancestate", "appdelegate", "scenedelegate", "handler",
                "looper", "coroutine",
            ),
        ),
        (
            "Local storage",
            0.12,
            (
                "sqlite", "room", "coredata", "realm", "sharedpreferences", "userdefaults",
                "database", "dao", "entity", "migration", "sqldelight", "storage", "internal",
                "external", "firebase", "firestore", "cursor", "insert", "table", "persist",
                "persistence", "keychain", "datastore", "schema", "contentprovider",
            ),
        ),
        (
            "Build, signing and release",
            0.15,
            (
                "gradle", "xcode", "cocoapods", "pods", "flavors", "apk", "aab", "ipa", "signing",
                "keystore", "provisioning", "profile", "certificate", "release", "playstore",
                "appstore", "testflight", "archive", "proguard", "minify", "manifest",
                "dependency", "sdk", "emulator", "simulator",
            ),
        ),
        (
            "Permissions and device features",
            0.10,
            (
                "permission", "permissions", "notification", "notifications", "push", "fcm",
                "apns", "location", "gps", "camera", "bluetooth", "sensor", "sensors",
                "accelerometer", "microphone", "contacts", "gallery", "photos", "geofence",
                "runtime", "vibration", "nfc", "biometric", "fingerprint", "denied",
            ),
        ),
    ),
    "security": (
        (
            "Encryption and keys",
            0.25,
            (
                "encrypt", "encrypted", "decrypt", "decryption", "aes", "rsa", "cipher",
                "ciphertext", "plaintext", "hmac", "keys", "gcm", "cbc", "private", "public",
                "symmetric", "asymmetric", "openssl", "pem", "nonce", "bytes", "base",
                "keypair", "signature", "sign",
            ),
        ),
        (
            "Authentication and sessions",
            0.25,
            (
                "login", "logout", "authentication", "authorization", "principal", "sessions",
                "samesite", "cookies", "jwt", "oauth", "openid", "token", "tokens", "refresh",
                "bearer", "sso", "saml", "identity", "credentials", "passport", "keycloak",
                "claims", "expiry", "roles", "redirect",
            ),
        ),
        (
            "TLS and certificates",
            0.18,
            (
                "ssl", "tls", "https", "certificate", "certificates", "handshake", "chain",
                "trust", "truststore", "signed", "pinning", "hostname", "verification",
                "letsencrypt", "renew", "expired", "mutual", "client", "sni", "issuer",
                "authority", "intermediate", "protocol", "suites", "keystore",
            ),
        ),
        (
            "Injection and cross-site attacks",
            0.17,
            (
                "xss", "injection", "csrf", "sanitize", "sanitizing", "escape", "escaping",
                "prepared", "statement", "statements", "parameterized", "script", "attacker",
                "malicious", "payload", "vulnerability", "vulnerable", "owasp", "cors",
                "origin", "header", "headers", "csp", "policy", "exploit",
            ),
        ),
        (
            "Password hashing",
            0.15,
            (
                "password", "passwords", "hash", "hashing", "hashed", "salt", "salted",
                "bcrypt", "argon", "scrypt", "pbkdf", "sha", "iterations", "verify", "rainbow",
                "brute", "force", "storing", "pepper", "digest", "collision", "stretching",
                "compare", "database", "leaked",
            ),
        ),
    ),
}  # fmt: skip
THEME_SENTENCES = (
    "I think the {0} and the {1} interact badly with {2}, {3}, {4} and {5}.",
    "Changing the {0} and {1} did not help, the {2} still breaks {3} with {4} and {5}.",
    "How do {0}, {1} and {2} relate to {3} when {4} meets {5}?",
    "My {0} uses {1}, {2}, {3}, {4} and {5} as described.",
    "Should the {0} come first, or do the {1}, {2}, {3}, {4} and {5} matter more?",
    "The {0} and {1} look fine, yet {2} with {3} gives odd {4} for {5}.",
    "Everything about {0}, {1}, {2} and {3} seems right except {4} and {5}.",
    "Does anyone know why {0} with {1}, {2} and {3} ignores {4} and {5}?",
)
"""Sentences of a planted theme: six slots each, filled with words of the question's theme."""
