-- Headless Neovim 0.7 with its built-in LSP client: open a Dockerfile and a devcontainer.json
-- with known errors, wait for diagnostics, and check their line and code.
-- Run: ENVBUILDER_BINARY=... WORKDIR=... nvim --headless -u NONE -c "luafile diagnostics.lua"
local binary = assert(os.getenv('ENVBUILDER_BINARY'), 'ENVBUILDER_BINARY not set')
local workdir = assert(os.getenv('WORKDIR'), 'WORKDIR not set')
local failures = {}

local function fail(message)
  table.insert(failures, message)
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local client_id = vim.lsp.start_client({
  name = 'envbuilder',
  cmd = { binary, 'lsp', '--stdio' },
  root_dir = workdir,
})
if not client_id then
  io.stderr:write('could not start the language server\n')
  vim.cmd('cquit 1')
end

local function check(path, text, expected_line, expected_code)
  write(path, text)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  local found = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == expected_code then return true end
    end
    return false
  end, 50)
  if not found then
    fail(string.format('%s: no %s diagnostic (got %s)', path, expected_code, vim.inspect(vim.diagnostic.get(bufnr))))
    return
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == expected_code and d.lnum ~= expected_line then
      fail(string.format('%s: %s on line %d, expected %d', path, expected_code, d.lnum, expected_line))
    end
  end
  print(string.format('ok %s: %s on line %d', vim.fn.fnamemodify(path, ':t'), expected_code, expected_line))
end

check(workdir .. '/Dockerfile', 'FROM alpine\nRUN echo ok\nRUNN make\n', 2, 'UnknownInstruction')
check(workdir .. '/.devcontainer/devcontainer.json', '{\n  "image": "alpine",\n  "shutdownAction": "explode"\n}\n', 2,
  'InvalidEnumValue')

vim.lsp.stop_client(client_id)
if #failures > 0 then
  for _, f in ipairs(failures) do io.stderr:write('FAIL ' .. f .. '\n') end
  vim.cmd('cquit 1')
end
print('neovim: 2 passed, 0 failed')
vim.cmd('qa!')
