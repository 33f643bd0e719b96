"""PyTorch reference modules whose state_dict names Tradewind's layers use (TradewindML/Layers)."""
import torch
from torch import nn


class AttentionPooling(nn.Module):
    """Additive attention pooling over time: softmax_t(v . tanh(W h_t + b)) weighted sum of h_t."""

    def __init__(self, features, units):
        super().__init__()
        self.attention = nn.Linear(features, units)
        self.context = nn.Linear(units, 1, bias=False)

    def forward(self, x):
        alpha = torch.softmax(self.context(torch.tanh(self.attention(x))).squeeze(-1), dim=1)
        return torch.bmm(alpha.unsqueeze(1), x).squeeze(1)


class Time2Vec(nn.Module):
    """One linear and size-1 periodic (sine) components of the last axis."""

    def __init__(self, in_features, size):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)
        self.periodic = nn.Linear(in_features, size - 1)

    def forward(self, x):
        return torch.cat([self.linear(x), torch.sin(self.periodic(x))], dim=-1)


class SmallRecurrentNet(nn.Module):
    """The 100-step training-parity network: BiGRU -> LayerNorm -> attention pooling -> class and value heads."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 6, batch_first=True, bidirectional=True)
        self.norm = nn.LayerNorm(12)
        self.pool = AttentionPooling(12, 4)
        self.classifier = nn.Linear(12, 3)
        self.regressor = nn.Linear(12, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        p = self.pool(self.norm(h))
        return self.classifier(p), self.regressor(p).squeeze(-1)


CLASS_WEIGHTS = [1.0, 2.0, 0.5]


def small_net_loss(logits, value, labels, targets):
    ce = nn.functional.cross_entropy(logits, labels, weight=torch.tensor(CLASS_WEIGHTS))
    return ce + 0.5 * nn.functional.mse_loss(value, targets)
