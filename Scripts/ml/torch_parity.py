"""Writes the PyTorch parity fixtures of TradewindML under Tests/Fixtures/ml (float32 safetensors files).

Each layer case holds the weights (PyTorch state_dict names), `input` (and `input1`, `input2`: initial states),
`seed` (the output gradient), `output`, and `grad.<name>` / `grad.input` = d(sum(output * seed))/d(...); the
dropout-in-training case adds `dropout_mask.<k>`, the masks PyTorch drew between stacked layers. `training.safetensors` holds the 100-step run of
SmallRecurrentNet (initial weights, the batches, the loss curve); `trained.safetensors` is the trained model as
`safetensors.torch.save_file` writes it, with `trained_check.safetensors` its predictions on a held-out input.
`losses.safetensors` holds cross-entropy (class weights), BCE and Huber; `loss_parity.safetensors` holds MSE,
sample-weighted cross-entropy, the IC penalty and the soft Spearman loss (references written below), each with its
gradient.

Run from the repository root: python3 Scripts/ml/torch_parity.py [layers] [training] [losses] [loss_parity]
(torch 2.x CPU, safetensors; no argument writes them all).
"""
import os
import sys

import torch
from safetensors.torch import save_file
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from reference_modules import AttentionPooling, SmallRecurrentNet, Time2Vec, small_net_loss  # noqa: E402

OUT = os.path.join("Tests", "Fixtures", "ml")
torch.set_num_threads(1)


def case(name, module, inputs, forward, input_grad=True, extra=None):
    torch.manual_seed(1000 + len(name))
    for p in module.parameters():  # non-trivial biases and norms
        with torch.no_grad():
            p.uniform_(-0.5, 0.5)
    tensors = {k: v.detach().clone().contiguous() for k, v in module.state_dict().items()}
    xs = [x.clone().requires_grad_(input_grad and x.is_floating_point()) for x in inputs]
    out = forward(module, *xs)
    seed = torch.randn_like(out)
    (out * seed).sum().backward()
    for i, x in enumerate(xs):
        key = "input" if i == 0 else f"input{i}"
        tensors[key] = x.detach().float()
        if x.requires_grad:
            tensors["grad." + key] = x.grad
    tensors["seed"] = seed
    tensors["output"] = out.detach()
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad if p.grad is not None else torch.zeros_like(p)
    tensors.update(extra or {})
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, f"layer_{name}.safetensors"))


DROPOUT_SEED = 42


def dropout_masks(layers, steps, batch, width, p):
    """The scaled masks nn.GRU(dropout=p) multiplies each inner layer's output by, after manual_seed(DROPOUT_SEED):
    drawn time-major (PyTorch runs the stack time-major), returned batch-first [batch, steps, width]."""
    torch.manual_seed(DROPOUT_SEED)
    return [(torch.empty(steps, batch, width).bernoulli_(1 - p) / (1 - p)).transpose(0, 1).contiguous()
            for _ in range(layers - 1)]


def train_with_seed(m, x):
    torch.manual_seed(DROPOUT_SEED)
    return m.train()(x)[0]


def check_dropout_semantics():
    """Asserts that nn.GRU(dropout=) is: layer, times the mask, next layer (so the committed masks are PyTorch's)."""
    torch.manual_seed(5)
    stacked = nn.GRU(4, 5, num_layers=3, bidirectional=True, dropout=0.4, batch_first=True)
    singles = []
    for layer in range(3):
        g = nn.GRU(4 if layer == 0 else 10, 5, bidirectional=True, batch_first=True)
        g.load_state_dict({k.replace(f"_l{layer}", "_l0"): v for k, v in stacked.state_dict().items() if f"_l{layer}" in k})
        singles.append(g)
    x = torch.randn(2, 6, 4)
    native = train_with_seed(stacked, x)
    masks = dropout_masks(layers=3, steps=6, batch=2, width=10, p=0.4)
    h = x
    for layer, g in enumerate(singles):
        h = g(h)[0]
        if layer < 2:
            h = h * masks[layer]
    assert torch.allclose(h, native, atol=1e-6), "nn.GRU's dropout is not layer * mask (PyTorch changed its RNG use?)"


def layers():
    torch.manual_seed(0)
    case("dense", nn.Linear(5, 4), [torch.randn(2, 3, 5)], lambda m, x: m(x))
    case("layernorm", nn.LayerNorm(6), [torch.randn(2, 3, 6)], lambda m, x: m(x))
    case("embedding", nn.Embedding(7, 3), [torch.tensor([[1, 4, 6], [0, 4, 2]])], lambda m, i: m(i), input_grad=False)
    case("gru_bi2_sequence", nn.GRU(4, 5, num_layers=2, bidirectional=True, batch_first=True),
         [torch.randn(2, 6, 4)], lambda m, x: m(x)[0])
    case("gru_last", nn.GRU(4, 5, batch_first=True), [torch.randn(3, 6, 4)], lambda m, x: m(x)[1][-1])
    case("lstm_bi_sequence", nn.LSTM(4, 5, bidirectional=True, batch_first=True), [torch.randn(2, 6, 4)], lambda m, x: m(x)[0])
    case("lstm_bi_last", nn.LSTM(4, 5, bidirectional=True, batch_first=True), [torch.randn(2, 6, 4)],
         lambda m, x: torch.cat([m(x)[1][0][-2], m(x)[1][0][-1]], dim=1))
    case("mha_self", nn.MultiheadAttention(8, 2, batch_first=True), [torch.randn(2, 5, 8)],
         lambda m, x: m(x, x, x, need_weights=False)[0])
    mask = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
    case("mha_cross_masked", nn.MultiheadAttention(8, 2, batch_first=True), [torch.randn(2, 3, 8), torch.randn(2, 5, 8)],
         lambda m, q, k: m(q, k, k, key_padding_mask=mask, need_weights=False)[0])
    case("transformer", nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), [torch.randn(2, 5, 8)],
         lambda m, x: m(x))
    case("transformer_gelu_normfirst", nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu",
                                                                  norm_first=True, batch_first=True),
         [torch.randn(2, 5, 8)], lambda m, x: m(x))
    case("attention_pooling", AttentionPooling(6, 4), [torch.randn(3, 5, 6)], lambda m, x: m(x))
    case("time2vec", Time2Vec(2, 5), [torch.randn(2, 4, 2)], lambda m, x: m(x))
    # Initial states (h0, c0: [layers*directions, batch, hidden]), with gradients through them (input1, input2).
    case("gru_bi2_initial", nn.GRU(4, 5, num_layers=2, bidirectional=True, batch_first=True),
         [torch.randn(2, 6, 4), torch.randn(4, 2, 5)], lambda m, x, h0: m(x, h0)[0])
    case("gru_last_initial", nn.GRU(4, 5, batch_first=True), [torch.randn(3, 6, 4), torch.randn(1, 3, 5)],
         lambda m, x, h0: m(x, h0)[1][-1])
    case("lstm_bi2_initial", nn.LSTM(4, 5, num_layers=2, bidirectional=True, batch_first=True),
         [torch.randn(2, 6, 4), torch.randn(4, 2, 5), torch.randn(4, 2, 5)], lambda m, x, h0, c0: m(x, (h0, c0))[0])
    case("lstm_last_initial", nn.LSTM(4, 5, batch_first=True),
         [torch.randn(3, 6, 4), torch.randn(1, 3, 5), torch.randn(1, 3, 5)], lambda m, x, h0, c0: m(x, (h0, c0))[1][0][-1])
    # dropout= between stacked layers: off in eval; in training, the masks PyTorch drew (checked below).
    case("gru_dropout_eval", nn.GRU(4, 5, num_layers=3, dropout=0.4, batch_first=True), [torch.randn(2, 6, 4)],
         lambda m, x: m.eval()(x)[0])
    masks = dropout_masks(layers=3, steps=6, batch=2, width=10, p=0.4)
    case("gru_bi3_dropout_train", nn.GRU(4, 5, num_layers=3, bidirectional=True, dropout=0.4, batch_first=True),
         [torch.randn(2, 6, 4)], lambda m, x: train_with_seed(m, x),
         extra={f"dropout_mask.{i}": mk for i, mk in enumerate(masks)})
    check_dropout_semantics()
    final_states()


def flat(*tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def final_states():
    """`output, h_n` / `output, (h_n, c_n)` as PyTorch returns them, flattened and joined into one output so that the
    seed's gradient flows through all of them (h_n, c_n: [layers*directions, batch, hidden])."""
    torch.manual_seed(7)
    case("lstm_bi2_states", nn.LSTM(4, 5, num_layers=2, bidirectional=True, batch_first=True),
         [torch.randn(2, 6, 4), torch.randn(4, 2, 5), torch.randn(4, 2, 5)],
         lambda m, x, h0, c0: (lambda o: flat(o[0], o[1][0], o[1][1]))(m(x, (h0, c0))))
    case("lstm2_states", nn.LSTM(4, 5, num_layers=2, batch_first=True), [torch.randn(3, 6, 4)],
         lambda m, x: (lambda o: flat(o[0], o[1][0], o[1][1]))(m(x)))
    case("gru_bi2_states", nn.GRU(4, 5, num_layers=2, bidirectional=True, batch_first=True),
         [torch.randn(2, 6, 4), torch.randn(4, 2, 5)], lambda m, x, h0: (lambda o: flat(o[0], o[1]))(m(x, h0)))


def training():
    torch.manual_seed(7)
    net = SmallRecurrentNet()
    tensors = {"init." + k: v.clone() for k, v in net.state_dict().items()}
    xs = torch.randn(10, 8, 5, 3)
    labels = torch.randint(0, 3, (10, 8))
    targets = torch.randn(10, 8)
    opt = torch.optim.Adam(net.parameters(), lr=5e-3)
    losses = []
    for step in range(100):
        b = step % 10
        opt.zero_grad()
        loss = small_net_loss(*net(xs[b]), labels[b], targets[b])
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    tensors.update({"x": xs, "labels": labels.float(), "targets": targets, "losses": torch.tensor(losses)})
    save_file(tensors, os.path.join(OUT, "training.safetensors"))
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, os.path.join(OUT, "trained.safetensors"))
    held_out = torch.randn(4, 5, 3)
    with torch.no_grad():
        logits, value = net(held_out)
    save_file({"input": held_out, "logits": logits, "value": value}, os.path.join(OUT, "trained_check.safetensors"))


def losses():
    torch.manual_seed(3)
    logits = torch.randn(6, 4, requires_grad=True)
    labels = torch.tensor([0, 3, 1, 1, 2, 3])
    cw = torch.tensor([1.0, 0.5, 2.0, 1.5])
    ce = nn.functional.cross_entropy(logits, labels, weight=cw)
    (g_ce,) = torch.autograd.grad(ce, logits)
    z = torch.randn(5, requires_grad=True)
    y = torch.rand(5)
    bce = nn.functional.binary_cross_entropy_with_logits(z, y)
    (g_bce,) = torch.autograd.grad(bce, z)
    p = torch.randn(7, requires_grad=True)
    t = torch.randn(7) * 2
    hub = nn.functional.huber_loss(p, t, delta=0.8)
    (g_hub,) = torch.autograd.grad(hub, p)
    save_file({"logits": logits.detach(), "labels": labels.float(), "class_weights": cw, "ce": ce.detach().reshape(1),
               "grad.ce": g_ce, "bce_logits": z.detach(), "bce_targets": y, "bce": bce.detach().reshape(1), "grad.bce": g_bce,
               "huber_pred": p.detach(), "huber_target": t, "huber": hub.detach().reshape(1), "grad.huber": g_hub},
              os.path.join(OUT, "losses.safetensors"))


def weighted_cross_entropy(logits, labels, class_weights, sample_weights):
    """Tradewind's sample-weighted cross-entropy: PyTorch's per-sample terms (reduction="none", each already
    multiplied by its class weight), times the sample weights, summed, divided by the sum of the samples' class
    weights (the sample count without class weights): Keras's sample_weight under sum_over_batch_size. The sample
    weights scale terms and do not renormalise (a batch of weights 2 is twice the loss of weights 1)."""
    per_sample = nn.functional.cross_entropy(logits, labels, weight=class_weights, reduction="none")
    denominator = class_weights[labels].sum() if class_weights is not None else torch.tensor(float(len(labels)))
    return (per_sample * sample_weights).sum() / denominator


def pearson(a, b, eps=1e-12):
    ca, cb = a - a.mean(), b - b.mean()
    return (ca * cb).sum() / torch.sqrt((ca * ca).sum() * (cb * cb).sum() + eps)


def soft_rank(x, temperature):
    """rank_i = sum_j sigmoid((x_i - x_j) / temperature), j = i included (it adds 1/2): as temperature -> 0 the
    1-based ranks less 1/2 (Pearson ignores the shift). Tradewind's Loss.softRank computes the same sum."""
    return torch.sigmoid((x.unsqueeze(1) - x.unsqueeze(0)) / temperature).sum(dim=1)


def average_ranks(t):
    """1-based ranks of t, ties sharing their average rank (scipy.stats.rankdata's "average")."""
    order = sorted(range(len(t)), key=lambda i: t[i].item())
    ranks = [0.0] * len(t)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and t[order[j + 1]].item() == t[order[i]].item():
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return torch.tensor(ranks)


def spearman_loss(predictions, targets, temperature):
    return 1 - pearson(soft_rank(predictions, temperature), average_ranks(targets))


def ic_penalty(predictions, targets, floor):
    return torch.relu(floor - pearson(predictions, targets))


def loss_parity():
    torch.manual_seed(11)
    p = torch.randn(3, 4, requires_grad=True)
    t = torch.randn(3, 4)
    mse = nn.functional.mse_loss(p, t)
    (g_mse,) = torch.autograd.grad(mse, p)
    logits = torch.randn(6, 4, requires_grad=True)
    labels = torch.tensor([0, 3, 1, 1, 2, 3])
    cw = torch.tensor([1.0, 0.5, 2.0, 1.5])
    sw = torch.tensor([0.5, 2.0, 1.0, 0.25, 1.5, 3.0])
    wce = weighted_cross_entropy(logits, labels, cw, sw)
    (g_wce,) = torch.autograd.grad(wce, logits)
    swce = weighted_cross_entropy(logits, labels, None, sw)
    (g_swce,) = torch.autograd.grad(swce, logits)
    pred = torch.randn(9, requires_grad=True)
    target = torch.tensor([0.3, -1.2, 0.3, 2.0, -0.4, 1.1, 0.3, -2.5, 0.9])  # a three-way tie
    sp = spearman_loss(pred, target, 0.1)
    (g_sp,) = torch.autograd.grad(sp, pred)
    sp_wide = spearman_loss(pred, target, 0.7)
    (g_sp_wide,) = torch.autograd.grad(sp_wide, pred)
    ic_target = pred.detach() * -0.3 + torch.randn(9)  # a low IC: the penalty is active
    ic = ic_penalty(pred, ic_target, 0.2)
    (g_ic,) = torch.autograd.grad(ic, pred)
    assert ic.item() > 0, ic
    save_file({"mse_pred": p.detach(), "mse_target": t, "mse": mse.detach().reshape(1), "grad.mse": g_mse,
               "logits": logits.detach(), "labels": labels.float(), "class_weights": cw, "sample_weights": sw,
               "wce": wce.detach().reshape(1), "grad.wce": g_wce, "swce": swce.detach().reshape(1), "grad.swce": g_swce,
               "rank_pred": pred.detach(), "rank_target": target,
               "spearman": sp.detach().reshape(1), "grad.spearman": g_sp,
               "spearman_wide": sp_wide.detach().reshape(1), "grad.spearman_wide": g_sp_wide,
               "ic_target": ic_target, "ic_penalty": ic.detach().reshape(1), "grad.ic_penalty": g_ic},
              os.path.join(OUT, "loss_parity.safetensors"))


PARTS = {"layers": layers, "training": training, "losses": losses, "loss_parity": loss_parity}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or list(PARTS):
        PARTS[name]()
    print("torch", torch.__version__, "fixtures in", OUT)
