"""A few builders for JSBSim's <function> expression elements, so that the generator reads like the equations it
writes (JSBSim's function operators: sum, product, quotient, exp, sin, min, max, …, with <property> and <value>
leaves)."""
import xml.etree.ElementTree as ET


def prop(name):
    e = ET.Element("property")
    e.text = name
    return e


def val(x):
    e = ET.Element("value")
    e.text = repr(float(x))
    return e


def _leaf(x):
    if isinstance(x, ET.Element):
        return x
    if isinstance(x, str):
        return prop(x)
    return val(x)


def op(tag, *args):
    e = ET.Element(tag)
    for a in args:
        e.append(_leaf(a))
    return e


def add(*args): return op("sum", *args)
def mul(*args): return op("product", *args)
def sub(a, b): return op("difference", a, b)
def div(a, b): return op("quotient", a, b)
def exp(a): return op("exp", a)
def sin(a): return op("sin", a)
def cos(a): return op("cos", a)
def absolute(a): return op("abs", a)
def sqrt(a): return op("sqrt", a)
def maximum(*args): return op("max", *args)
def minimum(*args): return op("min", *args)
def clamp(a, lo, hi): return maximum(lo, minimum(hi, a))


def function(name, expr, description=None):
    """A named <function> whose value is published as property `name`."""
    e = ET.Element("function", name=name)
    if description:
        ET.SubElement(e, "description").text = description
    e.append(_leaf(expr))
    return e
