#!/usr/bin/env python3
"""make-tiny-model.py - write a tiny Llama-architecture model that vLLM can serve, made here from nothing.

Usage (inside the engine venv made by scripts/install-engine.sh):
    python scripts/make-tiny-model.py OUT_DIR [--text-root DIR] [--vocab-size N] [--seed N]

What it writes into OUT_DIR (a Hugging Face model directory, loadable with no network):
    config.json              LlamaForCausalLM: 2 layers, hidden 128, 2 heads of 64, vocab = the tokenizer's,
                             max_position_embeddings 4096, float32
    generation_config.json
    model.safetensors        random weights (torch.manual_seed(seed)), no download of any kind
    tokenizer.json           byte-level BPE trained with the `tokenizers` library on local text only:
                             the *.md files under --text-root (default: this repository), sorted by path
    tokenizer_config.json    bos/eos/pad tokens and a chat template (so /v1/chat/completions works too)
    special_tokens_map.json
    SWEEPD_TINY_MODEL.txt    what this is and how it was made

Deterministic: same text + same seed give the same tokenizer and weights.
"""
import argparse
import json
import os
import sys
from pathlib import Path

# Never reach for a hub: everything here is made locally.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

BOS, EOS, PAD, UNK = "<s>", "</s>", "<pad>", "<unk>"
CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>\n' + message['content'] + eos_token + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}"
)


def local_text_files(root: Path):
    skip = {".git", "target", "node_modules", ".idea"}
    files = []
    for p in sorted(root.rglob("*.md")):
        if any(part in skip for part in p.relative_to(root).parts):
            continue
        files.append(p)
    return files


def train_tokenizer(files, vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[UNK, BOS, EOS, PAD, "<|system|>", "<|user|>", "<|assistant|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )

    def lines():
        for f in files:
            yield f.read_text(encoding="utf-8", errors="replace")
        # arithmetic words and digits so the shipped lm-eval task's text is not all byte fallbacks
        for a in range(100):
            yield f"{a} + {a + 1} = {2 * a + 1}. #### {a}\n"

    tok.train_from_iterator(lines(), trainer=trainer)
    bos_id = tok.token_to_id(BOS)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
    )
    return tok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--text-root", default=str(Path(__file__).resolve().parent.parent),
                    help="directory whose *.md files train the tokenizer (default: this repository)")
    ap.add_argument("--vocab-size", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--hidden-size", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--max-position-embeddings", type=int, default=4096)
    args = ap.parse_args()

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = local_text_files(Path(args.text_root))
    if not files:
        sys.exit(f"make-tiny-model: no *.md files under {args.text_root} to train the tokenizer on")

    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, GenerationConfig
    import torch

    tok = train_tokenizer(files, args.vocab_size)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=BOS, eos_token=EOS, pad_token=PAD, unk_token=UNK,
        model_max_length=args.max_position_embeddings, chat_template=CHAT_TEMPLATE,
        add_bos_token=False,  # the post-processor adds it
        clean_up_tokenization_spaces=False,
    )
    fast.save_pretrained(out)
    # transformers 5 writes the template to chat_template.jinja; keep a copy in tokenizer_config.json too,
    # where older readers (and lm-eval's apply_chat_template) look for it.
    tc_path = out / "tokenizer_config.json"
    tc = json.loads(tc_path.read_text(encoding="utf-8"))
    tc["chat_template"] = CHAT_TEMPLATE
    tc_path.write_text(json.dumps(tc, indent=2) + "\n", encoding="utf-8")

    head_dim = 64
    heads = max(1, args.hidden_size // head_dim)
    config = LlamaConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=heads * head_dim,
        intermediate_size=2 * heads * head_dim,
        num_hidden_layers=args.layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        head_dim=head_dim,
        max_position_embeddings=args.max_position_embeddings,
        rms_norm_eps=1e-5,
        rope_theta=10000.0,
        tie_word_embeddings=False,
        bos_token_id=tok.token_to_id(BOS),
        eos_token_id=tok.token_to_id(EOS),
        pad_token_id=tok.token_to_id(PAD),
        torch_dtype="float32",
    )
    torch.manual_seed(args.seed)
    model = LlamaForCausalLM(config)
    model.to(torch.float32)
    model.save_pretrained(out, safe_serialization=True)
    GenerationConfig(
        bos_token_id=config.bos_token_id, eos_token_id=config.eos_token_id, pad_token_id=config.pad_token_id,
        do_sample=False, max_new_tokens=64,
    ).save_pretrained(out)

    n_params = sum(p.numel() for p in model.parameters())
    (out / "SWEEPD_TINY_MODEL.txt").write_text(
        "Tiny Llama model with RANDOM weights made by sweepd's scripts/make-tiny-model.py "
        "(no hub download). Its output is noise; it exists to exercise serving, benchmarking and evaluation.\n"
        f"seed={args.seed} vocab={config.vocab_size} hidden={config.hidden_size} layers={config.num_hidden_layers} "
        f"heads={heads}x{head_dim} params={n_params}\n"
        "tokenizer trained on: " + ", ".join(str(f.relative_to(Path(args.text_root))) for f in files) + "\n",
        encoding="utf-8",
    )
    print(json.dumps({"model_dir": str(out), "vocab_size": config.vocab_size, "params": n_params,
                      "tokenizer_files": len(files)}))


if __name__ == "__main__":
    main()
