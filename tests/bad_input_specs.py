"""The table of the bad-input sweep (tests/test_bad_input.py): one valid baseline call per public name.

For every name in every ``__all__`` of synthlib, :data:`SPECS` holds

* the **baseline**: keyword arguments of a small, valid, fast call (the sweep substitutes one
  bad value at a time into it), written in the vocabulary of CONTRIBUTING.md;
* the **kind** of every parameter of the signature (a count, a probability, an array, a
  random state, ...), from which the bad values are derived (:meth:`Kind.bad`) and drawn
  (:meth:`Kind.strategy`, for hypothesis);
* for a class, its constructor's call (with a ``probe`` that uses the object, so that
  validation deferred to ``fit`` or ``sample`` is reached) and a call per public method;
* for a result type, the call that produces one (its properties are checked for silent NaN).

A parameter renamed during the move to one vocabulary is found under its old spelling too
(:data:`PARAMETER_ALIASES`), and a renamed public name under its old one (``Spec.aliases``),
so the sweep runs before and after a rename; deprecated aliases themselves are not in
``__all__`` and are not swept.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

NAN, INF = float("nan"), float("inf")

#: new name -> old spellings still found in signatures during the rename (CONTRIBUTING.md table)
PARAMETER_ALIASES = {
    "n_syn": ("m", "n"),
    "p": ("d",),
    "multiplier": ("gamma",),
    "multipliers": ("gammas",),
    "gamma": ("alpha",),           # Part III examples' ridge penalty
    "level": ("alpha",),           # level of a test
    "mixture_weight": ("alpha",),
    "imbalance_ratio": ("ratio",),
    "route": ("fast_path",),
}


# --- kinds of parameters and their bad values ---------------------------------------------------

class Kind:
    """What a parameter accepts; :meth:`bad` lists values it must refuse."""

    sweep = True

    def bad(self, base):
        """``[(label, value), ...]`` derived from the baseline value ``base``."""
        return []

    def strategy(self, base):
        """A hypothesis strategy of values this parameter must refuse."""
        return st.sampled_from([v for _, v in self.bad(base)]) if self.bad(base) else st.nothing()


_NON_NUMBERS = [("string", "0.5"), ("complex", 1j), ("list", [1.0, 2.0])]


@dataclass(frozen=True)
class Count(Kind):
    """An integer >= ``low`` (``3.0`` accepted as 3); ``array_ok``: also a 1-d list of them."""

    low: int = 0
    high: int | None = None
    array_ok: bool = False
    none_ok: bool = False   # None is a valid (e.g. deprecated) value: not drawn as a bad one
    grid: bool = False      # a sweep axis: arrays of any shape broadcast, so 2-d is valid

    def bad(self, base):
        out = [("nan", NAN), ("+inf", INF), ("-inf", -INF), ("bool True", True), ("bool False", False),
               ("non-integer", self.low + 1.5), ("string", "3"), ("below range", self.low - 1)]
        if self.low > 0 and self.low - 1 != 0:
            out.append(("zero", 0))
        if self.low - 1 > -7:
            out.append(("negative", -7))
        if self.high is not None:
            out.append(("above range", self.high + 1))
        if self.array_ok:
            ok = max(self.low, 1)
            out += [("nan entry", [ok, NAN]), ("non-integer entry", [ok, ok + 0.5]), ("empty", []),
                    ("negative entry", [ok, -1]), ("bool entry", [True, False])]
            if not self.grid:
                out.append(("2-d", [[ok, ok]]))
        elif not self.array_ok:
            out.append(("array", np.array([self.low + 1, self.low + 2])))
        return out

    def strategy(self, base):
        finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
        return st.one_of(
            st.integers(max_value=self.low - 1, min_value=self.low - 10**6),
            finite.filter(lambda v: not float(v).is_integer()),
            st.sampled_from([NAN, INF, -INF, True, False, "2",
                             None if base is not None and not self.none_ok else "x"]),
        )


@dataclass(frozen=True)
class Real(Kind):
    """A finite real number in a range (``inf_ok``: ``+inf`` allowed; ``array_ok``: arrays too)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    inf_ok: bool = False
    array_ok: bool = False

    def _below(self):
        if self.low is None:
            return []
        out = [("below range", self.low - 1.0)]
        if self.low_open:
            out.append(("at open bound", float(self.low)))
        elif self.low == 0:
            out.append(("tiny negative", -1e-9))
        return out

    def _above(self):
        if self.high is None:
            return []
        out = [("above range", self.high + 1.0)]
        if self.high_open:
            out.append(("at open bound", float(self.high)))
        else:
            out.append(("just above", self.high + 1e-6))
        return out

    def bad(self, base):
        out = [("nan", NAN), ("-inf", -INF), ("bool", True)] + _NON_NUMBERS[:2]
        if not self.inf_ok:
            out.append(("+inf", INF))
        out += self._below() + self._above()
        if not self.array_ok:
            out.append(_NON_NUMBERS[2])
        else:
            ok = _inside(self)
            out += [("nan entry", np.array([ok, NAN])), ("empty", np.array([])),
                    ("string entries", np.array([str(ok)])), ("object entries", np.array([ok, None], dtype=object))]
            for label, v in self._below() + self._above():
                out.append((label + " entry", np.array([ok, v])))
        return out

    def strategy(self, base):
        parts = [st.sampled_from([NAN, -INF, True, "1"] + ([] if self.inf_ok else [INF]))]
        if self.low is not None:
            parts.append(st.floats(max_value=self.low, exclude_max=not self.low_open, allow_nan=False,
                                   allow_infinity=False, min_value=-1e300))
        if self.high is not None:
            parts.append(st.floats(min_value=self.high, exclude_min=not self.high_open, allow_nan=False,
                                   allow_infinity=False, max_value=1e300))
        return st.one_of(parts)


def _inside(kind):
    lo = kind.low if kind.low is not None else -1.0
    hi = kind.high if kind.high is not None else lo + 2.0
    return (lo + hi) / 2 if kind.high is not None else lo + 1.0


def Prob(*, array_ok=False, open_=False):
    """A probability in [0, 1] (``open_``: in (0, 1), e.g. a test's level)."""
    return Real(0.0, 1.0, low_open=open_, high_open=open_, array_ok=array_ok)


@dataclass(frozen=True)
class Arr(Kind):
    """An array like the baseline's; the flags say which further constraints it has.

    ``match``: its length is tied to another argument (so one row fewer is an error);
    ``square``/``psd``: a symmetric PSD matrix; ``nonneg``/``prob``: entries >= 0 / in [0, 1];
    ``labels``: class labels of a binary problem (``"01"``: 0/1, ``"pm1"``: ±1);
    ``empty_ok``: an empty array is a valid input; ``complex_ok``: complex entries allowed;
    ``one_class_ok``: with ``labels``, labels of one class only are valid (e.g. synthetic rows).
    """

    match: bool = False
    psd: bool = False
    nonneg: bool = False
    prob: bool = False
    labels: str | None = None
    empty_ok: bool = False
    complex_ok: bool = False
    ndim_free: bool = False   # 1-d and 2-d (stacks) both valid
    one_class_ok: bool = False

    def bad(self, base):
        a = np.array(base, dtype=complex if self.complex_ok else float)
        out = []
        for label, v in (("nan entry", NAN), ("+inf entry", INF), ("-inf entry", -INF)):
            b = a.copy()
            b.flat[0] = v
            out.append((label, b))
        if not self.empty_ok:
            out.append(("empty", np.empty((0,) + a.shape[1:])))
        s = a.astype(str)
        out.append(("strings", s))
        o = a.astype(object)
        o.flat[0] = "x"
        out.append(("object entries", o))
        if a.ndim < 3 and not (self.ndim_free and a.ndim == 2):
            out.append(("3-d", a.reshape(a.shape + (1,) * (3 - a.ndim))))
        if self.match and a.shape and a.shape[0] > 1:
            out.append(("one row fewer", a[:-1]))
        if self.nonneg or self.prob:
            b = a.copy()
            b.flat[0] = -0.5
            out.append(("negative entry", b))
        if self.prob:
            b = a.copy()
            b.flat[0] = 1.5
            out.append(("entry above 1", b))
        if self.psd:
            b = a.copy()
            b[0, -1] += 1.0
            out.append(("not symmetric", b))
            out.append(("not PSD", a - 2 * (1 + np.abs(a).max()) * np.eye(a.shape[0])))
        if self.labels is not None:
            if not self.one_class_ok:
                out.append(("one class", np.full_like(a, a.flat[-1])))
            b = a.copy()
            b.flat[0] = 7
            out.append(("three classes", b))
        return out

    def strategy(self, base):
        a = np.array(base, dtype=float)

        @st.composite
        def poisoned(draw):
            b = a.copy()
            i = draw(st.integers(0, b.size - 1))
            b.flat[i] = draw(st.sampled_from([NAN, INF, -INF]))
            return b

        shapes = st.lists(st.integers(0, 3), min_size=3, max_size=4).map(lambda s: np.zeros(s))
        return st.one_of(poisoned(), shapes.filter(lambda z: z.size == 0 or z.ndim >= 3),
                         st.sampled_from([v for _, v in self.bad(base)]))


@dataclass(frozen=True)
class State(Kind):
    """A random state: None, an integer seed >= 0, a numpy Generator."""

    def bad(self, base):
        return [("negative seed", -1), ("non-integer seed", 2.5), ("string", "seed"), ("bool", True),
                ("nan", NAN), ("list", [1, 2])]


@dataclass(frozen=True)
class Choice(Kind):
    """One of a few strings."""

    options: tuple = ()
    none_ok: bool = False

    def bad(self, base):
        out = [("unknown option", "no-such-option"), ("number", 3)]
        if not self.none_ok:
            out.append(("None", None))
        return out


@dataclass(frozen=True)
class Flag(Kind):
    """``True`` or ``False``."""

    def bad(self, base):
        return [("string", "no"), ("number 2", 2)]


@dataclass(frozen=True)
class Obj(Kind):
    """An object of some protocol (estimator, generator, callable, ...); ``values`` it must refuse."""

    values: tuple = (("number", 3), ("string", "x"))

    def bad(self, base):
        return list(self.values)


@dataclass(frozen=True)
class Jobs(Kind):
    """joblib's ``n_jobs``: None or a non-zero integer."""

    def bad(self, base):
        return [("zero", 0), ("non-integer", 2.5), ("string", "two"), ("bool", True), ("nan", NAN)]


@dataclass(frozen=True)
class Threads(Kind):
    """A BLAS thread count: None or an integer >= 1."""

    def bad(self, base):
        return [("zero", 0), ("negative", -1), ("non-integer", 2.5), ("string", "one"), ("bool", True),
                ("nan", NAN)]


@dataclass(frozen=True)
class Free(Kind):
    """Not swept (the reason says why: any value is valid, or it is not a value at all)."""

    reason: str = ""
    sweep = False


# --- calls ----------------------------------------------------------------------------------------

@dataclass
class Call:
    """One call of the sweep: baseline keyword arguments and the kind of every parameter.

    ``instance`` builds the object a method is called on (default: the class's baseline);
    ``probe`` (constructors) uses the new object so deferred validation is reached;
    ``nan_ok``: result paths documented as possibly NaN;
    ``is_property``: the entry is a property (no arguments): the sweep reads it, never calls it.
    """

    kwargs: dict
    kinds: dict
    probe: object = None
    instance: object = None
    nan_ok: tuple = ()
    is_property: bool = False


def Property(instance=None):
    """The entry of a property of a class: read on the baseline object (or ``instance()``)."""
    return Call({}, {}, instance=instance, is_property=True)


@dataclass
class Spec:
    """The sweep's entry for one public name."""

    kind: str                       # function, class, result, constant, module, exception
    call: Call | None = None        # function call or constructor
    methods: dict = field(default_factory=dict)
    aliases: tuple = ()             # older public spellings of the name
    producer: object = None         # result types: returns an instance
    reason: str = ""                # why a constructor is not swept


# --- shared data (small, fixed) -------------------------------------------------------------------

def _explorer_compute(a=1.0):
    return a


def _explorer_plot(a):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, a])
    return fig


P = 4
MU = np.array([1.5, 0.0, 0.0, 0.0])
MU_HAT = np.array([1.3, 0.2, 0.0, 0.0])
C_HAT = np.diag([1.2, 1.0, 0.8, 0.5])
C_REAL = np.diag([1.0, 1.1, 0.9, 1.0])
EIGVALS = np.array([0.5, 0.8, 1.0, 1.2])


def _mixture_data(n=8):
    rng = np.random.default_rng(0)
    y = np.repeat([-1.0, 1.0], n // 2)
    return y[:, None] * MU + rng.standard_normal((n, P)), y


X_RMT, Y_RMT = _mixture_data()


def _imbalanced_data(n0=36, n1=12, d=3):
    rng = np.random.default_rng(1)
    X = np.vstack([rng.standard_normal((n0, d)), rng.standard_normal((n1, d)) + 1.0])
    y = np.r_[np.zeros(n0), np.ones(n1)]
    return X, y


X_IMB, Y_IMB = _imbalanced_data()
X_MIN = X_IMB[Y_IMB == 1]
X_MAJ = X_IMB[Y_IMB == 0]
D = X_IMB.shape[1]
GRAD_PHI = np.array([0.4, 0.1])
GRAD_PSI = np.array([0.1, -0.05])
H2 = np.array([[2.0, 0.3], [0.3, 1.5]])
S2 = np.array([[1.0, 0.1], [0.1, 0.8]])

_RIDGE = dict(eps=0.2, rho=0.1, phi=0.9, gamma=0.5)
_RIDGE_KINDS = dict(eps=Prob(array_ok=True), rho=Prob(array_ok=True), phi=Prob(array_ok=True),
                    gamma=Real(0.0, low_open=True, array_ok=True))
_RIDGE_KINDS_SCALAR = dict(eps=Prob(), rho=Prob(), phi=Prob(), gamma=Real(0.0, low_open=True))
_SIZES_REAL = dict(n=Real(0.0, array_ok=True), n_syn=Real(0.0, array_ok=True))
_CONVENTION = dict(convention=Choice(("corrected", "paper_code")))
_SOLVER = dict(tol=Real(0.0, low_open=True), max_iter=Count(1))
_MODEL = dict(mu=Arr(), mu_hat=Arr(match=True), C_hat=Arr(psd=True, match=True))
_MODEL_ARGS = dict(mu=MU, mu_hat=MU_HAT, C_hat=C_HAT)
_SIM_TAIL = dict(trials=Count(2), random_state=State(), resolvent_trace=Flag(), blas_threads=Threads())
_GRID = dict(n_jobs=Jobs())
_THEORY_ARGS = dict(n=10, n_syn=20, **_RIDGE)


def _spectrum():
    from synthlib.rmt import generator_spectrum
    return generator_spectrum(MU, MU_HAT, C_HAT)


def _cov_model():
    from synthlib.rmt import covariance_model
    return covariance_model(MU, MU_HAT, C_HAT, C_REAL)


def _rmt(name):
    import synthlib.rmt
    return getattr(synthlib.rmt, name)


def _imb(name):
    import synthlib.imbalance
    return _get(synthlib.imbalance, name)


def _ex(name):
    from synthlib.imbalance import examples
    return _get(examples, name)


def _get(module, name):
    for candidate in (name,) + NAME_ALIASES.get(name, ()):
        if hasattr(module, candidate):
            return getattr(module, candidate)
    raise AttributeError(name)


#: new public name -> old spellings (the sweep accepts either in ``__all__``)
NAME_ALIASES = {
    "SyntheticGenerator": ("Generator",),
    "SMOTEGenerator": ("SMOTE",),
    "DEFAULT_MULTIPLIERS": ("DEFAULT_GAMMAS",),
}


def _simulate_toy_kwargs():
    return dict(p=P, n=6, n_hat=5, n_syn=8, mu_norm=1.5, **_RIDGE)


def _logreg():
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression()


def _smote():
    return _imb("SMOTEGenerator")(k_neighbors=3)


def _gen_kinds():
    return dict(X_minority=Arr(), n_syn=Count(0), random_state=State(), X_majority=Arr())


def _gen_methods():
    return {"sample": Call(dict(X_minority=X_MIN, n_syn=5, random_state=0, X_majority=X_MAJ), _gen_kinds())}


def _sample_probe(obj):
    return obj.sample(X_MIN, 5, random_state=0)


_DIAG_KINDS = dict(X=Arr(match=True), y=Arr(match=True, labels="01"), loss=Choice(("log_loss", "squared",
                   "centred_squared")), fit_intercept=Flag(), level=Prob(open_=True),
                   minority_class=Obj((("not a label", 7), ("list", [1]))), C=Real(0.0, low_open=True))
_GQS_KINDS = dict(_DIAG_KINDS, generator=Obj(), folds=Count(2), tau=Real(0.0, low_open=True),
                  random_state=State())
_GQS_KINDS.pop("level")
_TG_KINDS = dict(_GQS_KINDS, level=Prob(open_=True), estimator=Obj())


def _example_counts():
    return dict(n0=Count(1), n1=Count(1), random_state=State())


def _example_sampling(n0=20, n1=6):
    return {"sample": Call(dict(n0=n0, n1=n1, random_state=0), _example_counts()),
            "sample_minority": Call(dict(n=4, random_state=0), dict(n=Count(0), random_state=State()))}


# --- the table ------------------------------------------------------------------------------------

def _core_specs():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def ax():
        return plt.subplots()[1]

    arrays = dict(x_sim=np.array([0.1, 0.2, 0.3]), sim_mean=np.array([0.6, 0.65, 0.7]),
                  sim_se=np.array([0.01, 0.01, 0.02]))
    plot_kinds = dict(ax=Obj((("number", 3), ("string", "ax"))), x_sim=Arr(), sim_mean=Arr(match=True),
                      sim_se=Arr(match=True, nonneg=True), label=Free("any text or None"),
                      color=Free("a matplotlib colour"), marker=Free("a matplotlib marker"),
                      chance=Real(), caption=Free("any text or None"), linestyle=Free("a matplotlib style"))
    return {
        "check_random_state": Spec("function", Call(dict(random_state=0), dict(random_state=State()))),
        "spawn": Spec("function", Call(dict(random_state=0, n=2), dict(random_state=State(), n=Count(0)))),
        "summarize": Spec("function", Call(dict(draws=np.array([[0.7, 0.1], [0.72, 0.2], [0.74, 0.15]]), axis=0),
                                           dict(draws=Arr(ndim_free=True), axis=Count(-2, 1)))),
        "MonteCarloSummary": Spec("result", producer=lambda: __import__("synthlib").summarize([0.7, 0.72, 0.74])),
        "plot_theory_vs_simulation": Spec("function", Call(
            dict(ax=_LazyArg(ax), x_theory=np.linspace(0, 0.4, 5), theory=np.linspace(0.6, 0.7, 5), **arrays),
            dict(plot_kinds, x_theory=Arr(), theory=Arr(match=True)))),
        "plot_simulation": Spec("function", Call(dict(ax=_LazyArg(ax), **arrays), plot_kinds)),
        "add_caption": Spec("function", Call(dict(ax=_LazyArg(ax), caption="n=10, p=5"),
                                             dict(ax=plot_kinds["ax"], caption=Obj((("number", 3), ("None", None)))))),
        "simulation_caption": Spec("function", Call(dict(trials=3, seed=0),
                                                    dict(trials=Count(1), seed=State()))),
        "new_figure": Spec("function", Call(dict(ncols=1, nrows=1), dict(ncols=Count(1), nrows=Count(1)))),
        "book_style": Spec("function", Call({}, {})),
        "BOOK_STYLE": Spec("constant"),
        "slider": Spec("function", Call(dict(label="eps", value=0.3, low=0.0, high=1.0, step=0.05, kind="float"),
                                        dict(label=Obj((("number", 3),)), value=Real(0.0, 1.0), low=Real(high=0.3),
                                             high=Real(0.3), step=Real(0.0, low_open=True),
                                             kind=Choice(("float", "int", "log"))))),
        "chance_line": Spec("function", Call(dict(ax=_LazyArg(ax), y=0.5, label=None),
                                             dict(ax=plot_kinds["ax"], y=Real(), label=Free("any text or None")))),
        "selection": Spec("function", Call(dict(label="loss", options=["log_loss", "squared"], value="squared",
                                                kind="slider"),
                                           dict(label=Obj((("number", 3),)),
                                                options=Obj((("empty", []), ("number", 3))),
                                                value=Obj((("not an option", "hinge"),)),
                                                kind=Choice(("slider", "dropdown"))))),
        "ridge_prefix_path": Spec("function", Call(
            dict(X_real=X_RMT, y_real=Y_RMT, X_syn=X_RMT[::-1].copy(), y_syn=Y_RMT, sizes=[0, 4, 8], penalty=0.5,
                 syn_weights=np.ones(8), normalise=True),
            dict(X_real=Arr(match=True), y_real=Arr(match=True), X_syn=Arr(match=True), y_syn=Arr(match=True),
                 sizes=Count(0, array_ok=True), penalty=Real(0.0, array_ok=True),
                 syn_weights=Arr(match=True, nonneg=True), normalise=Flag()))),
        "blas_threads": Spec("function", Call(dict(threads=1), dict(threads=Threads(),
                                                                    name=Free("a label for messages")))),
        "MODE_VARIABLE": Spec("constant"),
        "Parameter": Spec("class", Call(
            dict(label="a", value=1.0, low=0.0, high=2.0, step=0.1, kind="float", grid=[0.5, 1.0]),
            dict(label=Obj((("number", 3),)), value=Real(0.0, 2.0), low=Real(high=1.0), high=Real(1.0),
                 step=Real(0.0, low_open=True), kind=Choice(("float", "int", "log")),
                 grid=Obj((("empty", []), ("string", "abc"), ("out of range", [1.0, 5.0]),
                           ("repeated", [1.0, 1.0]), ("without the value", [0.5]))))),
            methods={"grid_index": Call({}, {}), "live_widget": Call({}, {}), "static_widget": Call({}, {}),
                     "is_live_only": Property()}),
        "Explorer": Spec("class", Call(
            dict(compute=_explorer_compute, plot=_explorer_plot, mode="static", dpi=30,
                 a=_LazyArg(lambda: __import__("synthlib").Parameter("a", 1.0, 0.0, 2.0, 0.1, grid=[0.5, 1.0]))),
            dict(compute=Obj((("number", 3),)), plot=Obj((("number", 3),)),
                 mode=Choice(("static", "live"), none_ok=True), dpi=Count(20, high=300),
                 a=Obj((("number", 3), ("string", "a"))))),
            methods={"defaults": Call({}, {}), "resolved_mode": Call({}, {}), "static_images": Call({}, {}),
                     "widget": Call({}, {}), "figure": Call(dict(a=0.5), dict(a=Free("a compute argument"))),
                     "grid_shape": Property(), "live_only": Property()}),
        "ConvergenceError": Spec("exception", reason="raised by the library's solvers; its arguments are "
                                 "the solver's own last residual and iteration count"),
    }


def _rmt_specs():
    spectrum_kinds = dict(_SIZES_REAL, **_RIDGE_KINDS, **_CONVENTION, **_SOLVER)
    sim_kinds = dict(n=Count(0), n_syn=Count(0), **_RIDGE_KINDS_SCALAR, **_SIM_TAIL)
    model_methods = {
        "theory": Call(dict(_THEORY_ARGS), spectrum_kinds),
        "simulate": Call(dict(n=10, n_syn=20, **_RIDGE, trials=3, random_state=0), sim_kinds),
    }
    toy_kinds = dict(p=Real(0.0, low_open=True, array_ok=True), n_hat=Real(0.0, low_open=True, inf_ok=True,
                     array_ok=True), mu_norm=Real(0.0, array_ok=True), **_SIZES_REAL, **_RIDGE_KINDS, **_CONVENTION)
    sim_toy_kinds = dict(p=Count(1), n_hat=Count(1), n=Count(0), n_syn=Count(0), mu_norm=Real(0.0),
                         **_RIDGE_KINDS_SCALAR, **_SIM_TAIL)
    sim_model_kinds = dict(_MODEL, C_real=Arr(psd=True, match=True), **sim_kinds)
    grid_sim_kinds = dict(sim_model_kinds, n=Count(0, array_ok=True, grid=True),
                          n_syn=Count(0, array_ok=True, grid=True), **_RIDGE_KINDS,
                          **_GRID)
    return {
        "verification": Spec("function", Call(dict(eps=0.2, rho=0.1, phi=0.9),
                                              dict(eps=Prob(array_ok=True), rho=Prob(array_ok=True),
                                                   phi=Prob(array_ok=True)))),
        "critical_noise": Spec("function", Call(dict(rho=0.1, phi=0.9),
                                                dict(rho=Prob(array_ok=True), phi=Prob(array_ok=True)))),
        "gaussian_mixture": Spec("function", Call(dict(n=6, mu=MU, random_state=0),
                                                  dict(n=Count(2), mu=Arr(), random_state=State()))),
        "GaussianGenerator": Spec(
            "class", Call(dict(mu_hat=MU_HAT, residuals=X_RMT - Y_RMT[:, None] * MU_HAT),
                          dict(mu_hat=Arr(), residuals=Arr()), probe=lambda g: g.sample(4, random_state=0)),
            methods={"sample": Call(dict(n_syn=4, random_state=0), dict(n_syn=Count(0), random_state=State())),
                     "draw": Call(dict(n_syn=4, random_state=0), dict(n_syn=Count(0), random_state=State()))}),
        "mean_vector": Spec("function", Call(dict(p=P, mu_norm=1.5), dict(p=Count(1), mu_norm=Real(0.0)))),
        "generator_model": Spec("function", Call(dict(_MODEL_ARGS, C_real=C_REAL, blas_threads=1),
                                                 dict(_MODEL, C_real=Arr(psd=True, match=True),
                                                      blas_threads=Threads()))),
        "fit_gaussian_generator": Spec("function", Call(dict(X=X_RMT, y=Y_RMT, mu=MU),
                                                        dict(X=Arr(match=True), y=Arr(match=True, labels="pm1"),
                                                             mu=Arr(match=True)))),
        "corrupt_and_verify": Spec("function", Call(dict(y=Y_RMT, eps=0.2, rho=0.1, phi=0.9, random_state=0),
                                                    dict(y=Arr(), eps=Prob(), rho=Prob(), phi=Prob(),
                                                         random_state=State()))),
        "ridge_classifier": Spec("function", Call(dict(X=X_RMT, y=Y_RMT, gamma=0.5, N=10, weights=np.ones(8)),
                                                  dict(X=Arr(match=True), y=Arr(match=True), gamma=Real(0.0, low_open=True),  # noqa: E501
                                                       N=Count(1), weights=Arr(match=True, nonneg=True)))),
        "conditional_accuracy": Spec("function", Call(dict(w=np.array([1.0, 0.2, 0.0, -0.1]), mu=MU),
                                                      dict(w=Arr(match=True, ndim_free=True), mu=Arr(match=True)))),
        "simulate_pipeline": Spec("function", Call(
            dict(p=P, n=6, n_hat=5, n_syn=[0, 6], mu_norm=1.5, **_RIDGE, trials=2, random_state=0),
            dict(p=Count(1), n=Count(0), n_hat=Count(2), n_syn=Count(0, array_ok=True), mu_norm=Real(0.0, low_open=True),  # noqa: E501
                 **_RIDGE_KINDS_SCALAR, trials=Count(2), random_state=State()))),
        "mp_edges": Spec("function", Call(dict(eta_hat=0.5), dict(eta_hat=Real(0.0, low_open=True, array_ok=True)))),
        "mp_atom": Spec("function", Call(dict(eta_hat=2.0), dict(eta_hat=Real(0.0, low_open=True, array_ok=True)))),
        "mp_density": Spec("function", Call(dict(x=np.array([0.5, 1.0, 1.5]), eta_hat=0.5),
                                            dict(x=Arr(), eta_hat=Real(0.0, low_open=True, array_ok=True)))),
        "mp_stieltjes": Spec("function", Call(dict(z=np.array([-1.0 + 0.5j, 3.0 + 0.1j]), eta_hat=0.5),
                                              dict(z=Arr(complex_ok=True), eta_hat=Real(0.0, low_open=True, array_ok=True)))),  # noqa: E501
        "white_wishart": Spec("function", Call(dict(p=P, n_hat=5, random_state=0, blas_threads=1),
                                               dict(p=Count(1), n_hat=Count(1), random_state=State(),
                                                    blas_threads=Threads()))),
        "solve_deltas": Spec("function", Call(dict(eigvals=EIGVALS, **_THEORY_ARGS),
                                              dict(eigvals=Arr(nonneg=True), **spectrum_kinds))),
        "solve_deltas_toy": Spec("function", Call(dict(p=P, n=10, n_hat=5, n_syn=20, **_RIDGE),
                                                  dict(toy_kinds, **_SOLVER))),
        "solve_delta_synthetic_only": Spec("function", Call(
            dict(p=P, n_syn=20, **_RIDGE), dict(p=Real(0.0, low_open=True, array_ok=True),
                                                n_syn=Real(0.0, low_open=True, array_ok=True), **_RIDGE_KINDS,
                                                **_CONVENTION))),
        "GeneratorSpectrum": Spec("class", methods=model_methods, reason="built by generator_spectrum",
                                  producer=_spectrum),
        "generator_spectrum": Spec("function", Call(dict(_MODEL_ARGS, blas_threads=1),
                                                    dict(_MODEL, blas_threads=Threads()))),
        "theory": Spec("function", Call(dict(_MODEL_ARGS, **_THEORY_ARGS, C_real=C_REAL),
                                        dict(_MODEL, C_real=Arr(psd=True, match=True), **spectrum_kinds))),
        "CovarianceModel": Spec("class", methods=model_methods, reason="built by covariance_model",
                                producer=_cov_model),
        "covariance_model": Spec("function", Call(dict(_MODEL_ARGS, C_real=C_REAL, blas_threads=1),
                                                  dict(_MODEL, C_real=Arr(psd=True, match=True),
                                                       blas_threads=Threads()))),
        "theory_toy": Spec("function", Call(_simulate_toy_kwargs(), dict(toy_kinds, **_SOLVER))),
        "theory_synthetic_only": Spec("function", Call(
            dict(p=P, n_syn=20, mu_norm=1.5, **_RIDGE),
            dict(p=Real(0.0, low_open=True, array_ok=True), n_syn=Real(0.0, low_open=True, array_ok=True),
                 mu_norm=Real(0.0, array_ok=True), **_RIDGE_KINDS, **_CONVENTION))),
        "simulate": Spec("function", Call(dict(_MODEL_ARGS, n=6, n_syn=8, **_RIDGE, trials=3, random_state=0,
                                               C_real=C_REAL), sim_model_kinds)),
        "simulate_toy": Spec("function", Call(dict(_simulate_toy_kwargs(), trials=3, random_state=0), sim_toy_kinds)),
        "simulate_synthetic_only": Spec("function", Call(
            dict(p=P, n_syn=8, mu_norm=1.5, **_RIDGE, trials=3, random_state=0),
            dict(p=Count(1), n_syn=Count(1), mu_norm=Real(0.0), **_RIDGE_KINDS_SCALAR, trials=Count(2),
                 random_state=State(), blas_threads=Threads()))),
        "theory_grid": Spec("function", Call(
            dict(_MODEL_ARGS, n=10, n_syn=np.array([0.0, 20.0]), **_RIDGE, C_real=C_REAL),
            dict(_MODEL, C_real=Arr(psd=True, match=True), **spectrum_kinds, **_GRID, chunk_size=Count(1)))),
        "simulate_grid": Spec("function", Call(
            dict(_MODEL_ARGS, n=6, n_syn=np.array([0, 8]), **_RIDGE, trials=2, random_state=0, C_real=C_REAL),
            grid_sim_kinds)),
        "simulate_toy_grid": Spec("function", Call(
            dict(_simulate_toy_kwargs(), n_syn=np.array([0, 8]), trials=2, random_state=0),
            dict(sim_toy_kinds, n=Count(0, array_ok=True, grid=True), n_syn=Count(0, array_ok=True, grid=True),
                 **_RIDGE_KINDS, **_GRID, mu_norm=Real(0.0, array_ok=True), p=Count(1, array_ok=True, grid=True),
                 n_hat=Count(1, array_ok=True, grid=True)))),
        "Deltas": Spec("result", producer=lambda: _rmt("theory_toy")(**_kw(_rmt("theory_toy"),
                                                                           _simulate_toy_kwargs())).deltas,
                       methods={"as_dict": Call({}, {}, instance="producer")}),
        "TheoryResult": Spec("result", producer=lambda: _rmt("theory_toy")(**_kw(_rmt("theory_toy"),
                                                                                 _simulate_toy_kwargs()))),
        "SimulationResult": Spec("result", producer=lambda: _rmt("simulate_toy")(
            **_kw(_rmt("simulate_toy"), dict(_simulate_toy_kwargs(), trials=3, random_state=0))),
            methods={m: Call(dict(name="accuracy"), dict(name=Choice(("accuracy", "mean", "second_moment", "risk"))),
                             instance="producer") for m in ("summary", "band")}),
    }


def _imbalance_specs():
    vtss_kinds = dict(estimator=Obj(), generator=Obj(), multipliers=Real(0.0, array_ok=True),
                      cv=Count(2), loss=Choice(("auto", "log_loss", "squared")),
                      minority_class=Obj((("not a label", 7), ("list", [1]))),
                      route=Choice(("auto", "closed_form", "newton", "warm_start", "refit")),
                      random_state=State(), scoring=Obj((("unknown scorer", "no-such-scorer"), ("number", 3))),
                      n_jobs=Jobs())
    vtss_kinds.update(include_zero=Flag(), gammas=Free("deprecated alias of multipliers"),
                      fast_path=Free("deprecated alias of route"))
    vtss_base = dict(estimator=None, generator=None, multipliers=np.array([0.0, 0.5, 1.0]), cv=2,
                     random_state=0)

    def vtss_instance():
        return _imb("VTSS")(**_kw(_imb("VTSS"), dict(vtss_base, estimator=_logreg(), generator=_smote()))).fit(
            X_IMB, Y_IMB)

    def vtss_probe(est):
        return est.fit(X_IMB, Y_IMB)

    vtss_base_full = dict(vtss_base)
    vtss_base_full.pop("estimator"), vtss_base_full.pop("generator")
    return {
        "VTSS": Spec("class", Call(dict(vtss_base_full, estimator=_LazyArg(_logreg), generator=_LazyArg(_smote)),
                                   vtss_kinds, probe=vtss_probe),
                     methods={"fit": Call(dict(X=X_IMB, y=Y_IMB, sample_weight=None),
                                          dict(X=Arr(match=True), y=Arr(match=True, labels="01"),
                                               sample_weight=Arr(match=True, nonneg=True)),
                                          instance=lambda: _imb("VTSS")(**_kw(_imb("VTSS"), dict(
                                              vtss_base, estimator=_logreg(), generator=_smote())))),
                              "predict_proba": Call(dict(X=X_IMB[:5]), dict(X=Arr()), instance=vtss_instance),
                              "predict": Call(dict(X=X_IMB[:5]), dict(X=Arr()), instance=vtss_instance),
                              "score": Call(dict(X=X_IMB, y=Y_IMB), dict(X=Arr(match=True), y=Arr(match=True),
                                                                        sample_weight=Arr(match=True, nonneg=True)),
                                            instance=vtss_instance),
                              "get_metadata_routing": Call({}, {}, instance=vtss_instance),
                              "decision_function": Call(dict(X=X_IMB[:5]), dict(X=Arr()), instance=vtss_instance)}),
        "DEFAULT_MULTIPLIERS": Spec("constant", aliases=NAME_ALIASES["DEFAULT_MULTIPLIERS"]),
        "SyntheticGenerator": Spec("class", reason="abstract base class: subclasses implement sample",
                                   methods={"sample": None},
                                   aliases=NAME_ALIASES["SyntheticGenerator"]),
        "GaussianFit": Spec("class", Call(dict(shrinkage=0.1, ridge=1e-6),
                                          dict(shrinkage=Prob(), ridge=Real(0.0),
                                               method=Choice(("auto", "eigh", "low_rank"))),
                                          probe=_sample_probe),
                            methods=_gen_methods()),
        "SMOTEGenerator": Spec("class", Call(dict(k_neighbors=3), dict(k_neighbors=Count(1)), probe=_sample_probe),
                               methods=_gen_methods(), aliases=NAME_ALIASES["SMOTEGenerator"]),
        "Jitter": Spec("class", Call(dict(sigma=0.5, per_feature_std=False),
                                     dict(sigma=Real(0.0), per_feature_std=Flag()), probe=_sample_probe),
                       methods=_gen_methods()),
        "Oracle": Spec("class", Call(dict(source=_LazyArg(lambda: _ex("TGLinear")(**_kw(_ex("TGLinear"),
                                                                                          dict(p=D))))),
                                     dict(source=Obj()), probe=_sample_probe),
                       methods=_gen_methods()),
        "ImblearnGenerator": Spec("class", Call(dict(sampler=_LazyArg(_imblearn_smote)),
                                                dict(sampler=Obj()), probe=_sample_probe),
                                  methods=_gen_methods()),
        "FunctionGenerator": Spec("class", Call(dict(func=_LazyArg(lambda: _bootstrap)), dict(func=Obj()),
                                                probe=_sample_probe),
                                  methods=_gen_methods()),
        "as_generator": Spec("function", Call(dict(generator=_LazyArg(_smote)), dict(generator=Obj()))),
        "bias_vector": Spec("function", Call(dict(grad_phi=GRAD_PHI, grad_psi=GRAD_PSI, n0=40, n1=10, n_syn=15),
                                             dict(grad_phi=Arr(), grad_psi=Arr(match=True), n0=Count(1), n1=Count(1),
                                                  n_syn=Count(0)))),
        "excess_risk_expansion": Spec("function", Call(
            dict(grad_phi=GRAD_PHI, grad_psi=GRAD_PSI, H=H2, n0=40, n1=10, n_syn=15, Sigma0=S2, Sigma1=S2,
                 Sigma_syn=S2, hess_phi=-0.1 * H2, hess_psi=0.1 * H2),
            dict(grad_phi=Arr(), grad_psi=Arr(match=True), H=Arr(match=True, psd=True), n0=Count(1), n1=Count(1),
                 n_syn=Count(0), Sigma0=Arr(match=True, psd=True), Sigma1=Arr(match=True, psd=True),
                 Sigma_syn=Arr(match=True, psd=True), hess_phi=Arr(match=True), hess_psi=Arr(match=True)))),
        "ExcessRiskExpansion": Spec("result", producer=lambda: _imb("excess_risk_expansion")(
            GRAD_PHI, GRAD_PSI, H2, 40, 10, 15, Sigma0=S2, Sigma1=S2, Sigma_syn=S2)),
        "theory_target_size": Spec("function", Call(dict(grad_phi=GRAD_PHI, grad_psi=GRAD_PSI, n0=40, n1=10, metric=H2),
                                                    dict(grad_phi=Arr(), grad_psi=Arr(match=True), n0=Count(1),
                                                         n1=Count(1), metric=Arr(match=True, psd=True)))),
        "alignment": Spec("function", Call(dict(grad_phi=GRAD_PHI, grad_psi=GRAD_PSI),
                                           dict(grad_phi=Arr(), grad_psi=Arr(match=True)))),
        "Alignment": Spec("result", producer=lambda: _imb("alignment")(GRAD_PHI, GRAD_PSI)),
        "local_symmetry_test": Spec("function", Call(dict(X=X_IMB, y=Y_IMB, loss="log_loss", level=0.05), _DIAG_KINDS)),
        "SymmetryTest": Spec("result", producer=lambda: _imb("local_symmetry_test")(X_IMB, Y_IMB)),
        "generator_quality_score": Spec("function", Call(
            dict(X=X_IMB, y=Y_IMB, generator=_LazyArg(_smote), folds=2, random_state=0), _GQS_KINDS)),
        "GeneratorQuality": Spec("result", producer=lambda: _imb("generator_quality_score")(
            X_IMB, Y_IMB, _smote(), folds=2, random_state=0)),
        "gqs_from_moments": Spec("function", Call(
            dict(delta=GRAD_PSI, H=H2, Sigma0=S2, Sigma1=S2, Sigma_syn=S2, n0=40, n1=10),
            dict(delta=Arr(), H=Arr(match=True, psd=True), Sigma0=Arr(match=True, psd=True),
                 Sigma1=Arr(match=True, psd=True), Sigma_syn=Arr(match=True, psd=True), n0=Count(1), n1=Count(1)))),
        "tg_vtss_candidates": Spec("function", Call(
            dict(X=X_IMB, y=Y_IMB, generator=_LazyArg(_smote), folds=2, random_state=0), _TG_KINDS)),
        "TGVTSSDecision": Spec("result", producer=lambda: _imb("tg_vtss_candidates")(
            X_IMB, Y_IMB, _smote(), folds=2, random_state=0)),
        "balanced_log_loss": Spec("function", Call(
            dict(y_true=Y_IMB, p_minority=np.linspace(0.1, 0.9, Y_IMB.size), minority_class=1,
                 sample_weight=np.ones(Y_IMB.size)),
            dict(y_true=Arr(match=True, labels="01"), p_minority=Arr(match=True, prob=True),
                 minority_class=Obj((("not a label", 7), ("list", [1]))),
                 sample_weight=Arr(match=True, nonneg=True)))),
        "balanced_squared_loss": Spec("function", Call(
            dict(y_true=Y_IMB, score=np.linspace(-0.2, 1.2, Y_IMB.size), minority_class=1,
                 sample_weight=np.ones(Y_IMB.size)),
            dict(y_true=Arr(match=True, labels="01"), score=Arr(match=True),
                 minority_class=Obj((("not a label", 7), ("list", [1]))),
                 sample_weight=Arr(match=True, nonneg=True)))),
        "gqs_noise_floor": Spec("function", Call(
            dict(H=H2, Sigma0=S2, Sigma1=S2, Sigma_syn=S2, n0=40, n1=10, folds=3),
            dict(H=Arr(psd=True), Sigma0=Arr(match=True, psd=True), Sigma1=Arr(match=True, psd=True),
                 Sigma_syn=Arr(match=True, psd=True), n0=Count(1), n1=Count(1), folds=Count(1)))),
        "logistic_fit": Spec("function", Call(
            dict(X=X_IMB, y=Y_IMB, sample_weight=np.ones(Y_IMB.size), fit_intercept=True, C=1e4, tol=1e-10,
                 max_iter=100),
            dict(X=Arr(match=True), y=Arr(match=True, labels="01"), sample_weight=Arr(match=True, nonneg=True),
                 fit_intercept=Flag(), C=Real(0.0, low_open=True, inf_ok=True), tol=Real(0.0, low_open=True),
                 max_iter=Count(1)))),
        "loss_moments": Spec("function", Call(
            dict(X=X_IMB, y=Y_IMB, theta=np.r_[0.5, 0.5, 0.5, -1.0], loss="log_loss", fit_intercept=True),
            dict(X=Arr(match=True), y=Arr(match=True, labels="01", one_class_ok=True), theta=Arr(match=True),
                 loss=Choice(("log_loss", "squared", "centred_squared")), fit_intercept=Flag()))),
        "LossMoments": Spec("result", producer=lambda: _imb("loss_moments")(X_IMB, Y_IMB, np.r_[0.5, 0.5, 0.5, -1.0])),
        "synthetic_size": Spec("function", Call(dict(multiplier=1.0, n0=40, n1=10),
                                                dict(multiplier=Real(0.0, array_ok=True), n0=Count(1), n1=Count(1)))),
        "examples": Spec("module"),
    }


def _imblearn_smote():
    from imblearn.over_sampling import SMOTE
    return SMOTE(k_neighbors=3)


def _bootstrap(X, n, rng):
    return X[rng.integers(0, len(X), size=n)] + 0.1


def _examples_specs():
    def e(name, **kw):
        return lambda: _ex(name)(**_kw(_ex(name), kw))

    theta2 = np.array([0.3, 0.0])
    aligned = dict(mu=Real(0.0, low_open=True), a=Real(), label=Free("any text"))
    aligned_methods = dict(_example_sampling(), **{
        "sample_synthetic": Call(dict(n=4, random_state=0), dict(n=Count(0), random_state=State())),
        "synthetic_generator": Call({}, {}),
        "balanced_risk": Call(dict(theta=theta2), dict(theta=Arr(match=True, ndim_free=True))),
        "excess_risk": Call(dict(theta=theta2), dict(theta=Arr(match=True, ndim_free=True))),
        "population_minimizer": Call(dict(n0=40, n1=10, n_syn=15), dict(n0=Count(0), n1=Count(0), n_syn=Count(0))),
        "expansion_inputs": Call({}, {}),
        "simulate": Call(dict(n1=6, multiplier=1.0, imbalance_ratio=3, trials=2, gamma=1e-6, random_state=0),
                         dict(n1=Count(1), multiplier=Real(0.0), imbalance_ratio=Count(1), trials=Count(1),
                              gamma=Real(0.0), random_state=State())),
    })
    theta5 = np.zeros(5)
    theta5[0] = 0.4
    ms_kinds = dict(p=Count(1), delta=Real(), noise=Choice(("cube", "rademacher", "sphere")))
    ms_methods = dict(_example_sampling(), **{
        "sample_noise": Call(dict(n=4, random_state=0), dict(n=Count(0), random_state=State())),
        "semi_oracle": Call({}, {}),
        "balanced_risk": Call(dict(theta=theta5), dict(theta=Arr(match=True, ndim_free=True))),
        "excess_risk": Call(dict(theta=theta5), dict(theta=Arr(match=True, ndim_free=True))),
        "grad_psi": Property(),
        "grad_psi_for_law": Call(dict(mean=np.r_[1.0, np.zeros(4)], second_moment=np.eye(5) * 2),
                                 dict(mean=Arr(match=True), second_moment=Arr(match=True))),
    })
    ls_kinds = dict(p=Count(2), a=Real(0.0, low_open=True), b=Real(0.0, low_open=True), c=Real(0.0, low_open=True),
                    sigma_w=Real(0.0), mix_mu=Real())
    theta_ls = np.r_[0.5, np.zeros(4)]
    Xls = np.random.default_rng(3).standard_normal((20, 5))
    yls = np.where(np.arange(20) < 14, -1.0, 1.0)
    ls_methods = {
        "sample_x": Call(dict(n=4, random_state=0), dict(n=Count(0), random_state=State())),
        "sample_joint": Call(dict(n=8, random_state=0), dict(n=Count(0), random_state=State())),
        # sample(n0, n1=None, ...): n1=None (or a stream) is the deprecated call sample(n, rng)
        "sample": Call(dict(n0=20, n1=6, random_state=0),
                       dict(n0=Count(1), n1=Count(1, none_ok=True), random_state=State())),
        "sample_minority": Call(dict(n=4, random_state=0), dict(n=Count(0), random_state=State())),
        "balanced_log_loss": Call(dict(theta=theta_ls, X=Xls, y=yls),
                                  dict(theta=Arr(match=True), X=Arr(match=True), y=Arr(match=True, labels="pm1"))),
        "test_set": Call(dict(n_per_class=50, random_state=0), dict(n_per_class=Count(1), random_state=State())),
        "excess_risk": Call(dict(theta=theta_ls, n_per_class=50, random_state=0),
                            dict(theta=Arr(match=True), n_per_class=Count(1), random_state=State())),
        "fit": Call(dict(X=Xls, y=yls, C=1e6, theta0=None),
                    dict(X=Arr(match=True), y=Arr(match=True, labels="pm1"), C=Real(0.0, low_open=True),
                         theta0=Arr(match=True))),
    }
    st_kinds = dict(p=Count(1), b=Real())
    st_methods = {
        **_example_sampling(),
        "g1": Call(dict(b=0.3), dict(b=Real(array_ok=True))),
        "b_for_gradient": Call(dict(g=0.0), dict(g=Real())),
        "population_covariance": Call(dict(n0=20, n1=6, n_mc=500, random_state=0),
                                      dict(n0=Count(1), n1=Count(1), n_mc=Count(2), random_state=State())),
        "local_power": Call(dict(n0=20, n1=6, level=0.05, n_mc=500, random_state=0),
                            dict(n0=Count(1), n1=Count(1), level=Prob(open_=True), n_mc=Count(2),
                                 random_state=State())),
    }
    tgl_kinds = dict(p=Count(2), delta=Real(), mix_sep=Real())
    tgn_kinds = dict(p=Count(2), delta=Real())
    tgn_methods = dict(_example_sampling(), sample_majority=Call(dict(n=4, random_state=0),
                                                                 dict(n=Count(0), random_state=State())))
    curves_call = Call(dict(example=_LazyArg(e("AlignedGaussian")),
                            generators=_LazyArg(lambda: {"SMOTE": _smote()}),
                            multipliers=np.array([0.0, 1.0]), n0=18, n1=6, trials=2, gamma=1e-8, random_state=0),
                       dict(example=Obj(), generators=Obj((("number", 3), ("empty", {}), ("not generators", {"a": 3}))),
                            multipliers=Real(0.0, array_ok=True), n0=Count(1), n1=Count(1), trials=Count(1),
                            gamma=Real(0.0), random_state=State()))
    return {
        "aligned_gaussian": Spec("function", Call(dict(mu=1.0, a=0.5), dict(mu=aligned["mu"], a=Real()))),
        "realistic_gaussian": Spec("function", Call(dict(n1=100, c=1.0, mu=1.0),
                                                    dict(n1=Count(2), c=Real(0.0), mu=Real(0.0, low_open=True)))),
        "mean_shift": Spec("function", Call(dict(p=5, delta=1.0, noise="cube"), dict(ms_kinds))),
        "logistic_symmetric": Spec("function", Call(dict(p=5), dict(ls_kinds))),
        "symmetry_test_dgp": Spec("function", Call(dict(p=5, b=None), dict(st_kinds))),
        "tg_linear": Spec("function", Call(dict(p=5), dict(tgl_kinds))),
        "tg_nonlinear": Spec("function", Call(dict(p=5), dict(tgn_kinds))),
        "AlignedGaussian": Spec("class", Call(dict(mu=1.0, a=0.5, label="E1"), aligned), methods=aligned_methods),
        "MeanShift": Spec("class", Call(dict(p=5, delta=1.0, noise="cube"), ms_kinds), methods=ms_methods),
        "LogisticSymmetric": Spec("class", Call(dict(p=5), ls_kinds), methods=ls_methods),
        "SymmetryTestDGP": Spec("class", Call(dict(p=5, b=None), st_kinds), methods=st_methods),
        "TGLinear": Spec("class", Call(dict(p=5), tgl_kinds), methods=_example_sampling()),
        "TGNonlinear": Spec("class", Call(dict(p=5), tgn_kinds), methods=tgn_methods),
        "SemiOracle": Spec("class", Call(dict(example=_LazyArg(e("MeanShift", p=D))), dict(example=Obj()),
                                         probe=_sample_probe),
                           methods={"sample": Call(dict(X_minority=X_MIN, n_syn=5, random_state=0, X_majority=X_MAJ),
                                                   _gen_kinds(),
                                                   instance=lambda: _ex("SemiOracle")(_ex("MeanShift")(
                                                       **_kw(_ex("MeanShift"), dict(p=D)))))}),
        "ridge_fit": Spec("function", Call(dict(X=X_RMT, t=(Y_RMT > 0).astype(float), gamma=1e-6),
                                           dict(X=Arr(match=True), t=Arr(match=True), gamma=Real(0.0)))),
        "ridge_excess_curves": Spec("function", curves_call),
        "RidgeCurves": Spec("result", producer=lambda: _ex("ridge_excess_curves")(
            **_kw(_ex("ridge_excess_curves"), {k: _resolve(v) for k, v in curves_call.kwargs.items()})),
            methods={"summary": Call(dict(name="SMOTE", quantity="excess"),
                                     dict(name=Obj((("unknown name", "no-such-generator"), ("number", 3))),
                                          quantity=Choice(("excess", "param_error"))),
                                     instance="producer")}),
        "SimulationDraws": Spec("result", producer=_simulation_draws,
                                methods={"summary": Call(dict(quantity="excess"),
                                                         dict(quantity=Choice(("excess", "param_error"))),
                                                         instance="producer")}),
    }


def _simulation_draws():
    """A :class:`SimulationDraws` as :meth:`AlignedGaussian.simulate` returns it."""
    example = _ex("AlignedGaussian")(**_kw(_ex("AlignedGaussian"), dict(mu=1.0, a=0.5, label="E1")))
    return example.simulate(**_kw(example.simulate, dict(n1=6, multiplier=1.0, imbalance_ratio=3, trials=2,
                                                         gamma=1e-6, random_state=0)))


class _LazyArg:
    """A baseline argument built afresh for every call (estimators, generators: no shared state)."""

    def __init__(self, make):
        self.make = make

    def __repr__(self):
        return f"<built by {getattr(self.make, '__name__', 'a factory')}>"


def _resolve(value):
    return value.make() if isinstance(value, _LazyArg) else value


# --- keyword names across the rename ------------------------------------------------------------

def parameter_map(signature_names, spec_names):
    """Map the table's (new) parameter names onto a signature's, old spellings included.

    First the names the signature lacks take an old spelling it has (``n_syn`` -> ``m``);
    then a name the signature has but whose spelling was taken by such a rename moves to
    its own old spelling (Part III examples: ``multiplier`` -> ``gamma`` and ``gamma`` ->
    ``alpha`` at once). Returns ``{table name: signature name}`` or raises ``KeyError``.
    """
    sig = set(signature_names)
    mapping, claimed = {}, set()
    for name in spec_names:
        if name not in sig:
            for old in PARAMETER_ALIASES.get(name, ()):
                if old in sig:
                    mapping[name] = old
                    claimed.add(old)
                    break
            else:
                if VAR_KEYWORD not in sig:
                    raise KeyError(name)
                mapping[name] = name   # taken by **kwargs (e.g. Explorer's parameters)
    for name in spec_names:
        if name in mapping:
            continue
        if name in claimed:
            for old in PARAMETER_ALIASES.get(name, ()):
                if old in sig and old not in claimed:
                    mapping[name] = old
                    break
            else:
                raise KeyError(name)
        else:
            mapping[name] = name
    return mapping


#: stands in a signature's names for ``**kwargs``: any other keyword is then accepted as is
VAR_KEYWORD = "**"


def _signature_names(func):
    import inspect
    params = inspect.signature(func).parameters.values()
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name != "self"]
    return names + [VAR_KEYWORD] if any(p.kind == p.VAR_KEYWORD for p in params) else names


def _kw(func, kwargs):
    """``kwargs`` (table names) renamed to ``func``'s parameter names."""
    mapping = parameter_map(_signature_names(func), list(kwargs))
    return {mapping[k]: _resolve(v) for k, v in kwargs.items()}


def _alias_kw(func, name):
    return parameter_map(_signature_names(func), [name])[name]


def all_specs():
    """The full table: ``{public name: Spec}``."""
    return {**_core_specs(), **_rmt_specs(), **_imbalance_specs(), **_examples_specs()}

