"""The two distribution functions the A/B reference needs, in plain Python: the Student t
quantile and the chi-square survival function. Written from their textbook definitions
(the regularized incomplete beta and gamma functions by continued fraction and series,
Numerical Recipes ch. 6), independently of the C++ code (Boost.Math), so that the
reference needs no SciPy: Debian 12's python3-scipy cannot be installed beside
libboost1.81-dev. Accurate to ~1e-14 relative, far below the tests' 1e-9 tolerance.
"""
import math

_EPS = 1e-16
_TINY = 1e-300


def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            return h
    raise ArithmeticError("incomplete beta: no convergence")


def _lgamma_ratio(a, b):
    """log(Gamma(a + b) / Gamma(a)). For large a the two log-gammas are huge and nearly
    equal, so their difference is taken from Stirling's series term by term."""
    if a < 10.0:
        return math.lgamma(a + b) - math.lgamma(a)

    def series(z):
        z2 = z * z
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * z2)) / z2) / z2) / z
    return ((a - 0.5) * math.log1p(b / a) + b * math.log(a + b) - b +
            series(a + b) - series(a))


def betainc(a, b, x, y):
    """Regularized incomplete beta I_x(a, b), x in [0, 1], with y = 1 - x given by the
    caller (computed without cancellation)."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    big, small = (a, b) if a >= b else (b, a)
    front = math.exp(_lgamma_ratio(big, small) - math.lgamma(small) +
                     a * math.log(x) + b * math.log(y))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, y) / b


def t_cdf(t, dof):
    tail = 0.5 * betainc(dof / 2.0, 0.5, dof / (dof + t * t), t * t / (dof + t * t))
    return 1.0 - tail if t > 0 else tail


def t_ppf(p, dof):
    """Quantile of Student's t with `dof` (real, > 0) degrees of freedom, 0.5 <= p < 1.
    Bisection on the monotone cdf to the last bit."""
    if not (0.5 <= p < 1.0) or not dof > 0:
        return float("nan")
    lo, hi = 0.0, 1.0
    while t_cdf(hi, dof) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if t_cdf(mid, dof) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def gammaincc(a, x):
    """Regularized upper incomplete gamma Q(a, x)."""
    if x <= 0.0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:  # series for P, then Q = 1 - P
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * _EPS:
            n += 1.0
            term *= x / n
            total += term
        return 1.0 - total * math.exp(log_front)
    b = x + 1.0 - a  # continued fraction for Q (modified Lentz)
    c, d = 1.0 / _TINY, 1.0 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        if abs(d * c - 1.0) < _EPS:
            return h * math.exp(log_front)
    raise ArithmeticError("incomplete gamma: no convergence")


def chisquare(observed):
    """Pearson's chi-square against equal expected counts: (statistic, p-value)."""
    expected = sum(observed) / len(observed)
    chi2 = sum((o - expected) ** 2 / expected for o in observed)
    return chi2, gammaincc((len(observed) - 1) / 2.0, chi2 / 2.0)
